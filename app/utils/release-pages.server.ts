import { refusal } from './refusal';
import { REPORT_SECTION_TITLES, REPORT_SECTIONS, type StoredItem } from '../../benchmark/item-schema';
import type { Database } from '../../db/client';
import { findReleaseBySlug, releaseSlug, type ReleaseRow } from '../../db/queries/releases';
import { countReleaseItems } from '../../db/queries/releases';

/** A release the public may see (published or deprecated); anything else is a 404 that says nothing more. */
export async function loadPublicRelease(db: Database, slug: string): Promise<ReleaseRow> {
  const release = await findReleaseBySlug(db, slug);
  if (!release || release.status === 'draft') throw refusal(404, `No published release "${slug}".`);
  return release;
}

export async function releaseSummary(db: Database, release: ReleaseRow) {
  const manifest = release.manifest;
  return {
    slug: releaseSlug(release),
    name: release.name,
    version: release.version,
    status: release.status,
    licence: manifest.licence,
    description: manifest.description,
    created: manifest.created,
    synthetic: manifest.synthetic === true,
    contentHash: release.contentHash,
    publishedAt: release.publishedAt?.toISOString() ?? null,
    counts: await countReleaseItems(db, release.id),
  };
}

export type ReleaseSummary = Awaited<ReturnType<typeof releaseSummary>>;


/** What the item browser shows of one dev-split item (callers pass dev items only). */
export function devItemView(item: StoredItem) {
  return {
    id: item.id,
    task: item.task,
    inputKind: item.inputKind,
    language: item.language,
    question: item.question,
    skill: item.skill,
    region: item.region,
    pathology: item.pathology,
    levels: item.levels,
    explanation: item.explanation ?? null,
    provenance: item.provenance,
    images: item.images.map((image) => ({ src: `/images/${image.sha256}`, modality: image.modality, view: image.view })),
    options:
      item.task === 'mcq'
        ? Object.entries(item.options).map(([letter, text]) => ({ letter, text: text as string, correct: letter === item.answer }))
        : [],
    answer: item.task === 'mcq' ? item.answer : null,
    caseHistory: item.task === 'report' ? item.caseHistory : null,
    referenceReport:
      item.task === 'report'
        ? REPORT_SECTIONS.map((key) => ({ title: REPORT_SECTION_TITLES.en[key], text: item.referenceReport[key] }))
        : [],
    keyFindings: item.task === 'report' ? item.keyFindings : [],
  };
}

export type DevItemView = ReturnType<typeof devItemView>;
