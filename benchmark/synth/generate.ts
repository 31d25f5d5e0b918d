import { readdir, rm } from 'node:fs/promises';
import type { ImageRef, Item, Split } from '../item-schema';
import { writeReleaseFolder } from '../release/write-folder';
import type { ReleaseManifest } from '../release/manifest-schema';
import { randomCase, renderCase, type RenderedImage, type SynthCase } from './cases';
import { imageQuestions, type McqDraft } from './image-items';
import { knowledgeQuestions } from './knowledge-items';
import { Prng } from './prng';
import { reportItem, type ReportDraft } from './report-items';

export interface SplitComposition {
  text: number;
  image: number;
  report: number;
}

/** The paper's hidden test split (487 MCQ = 294 text + 193 image, 87 reports) and a public dev split of 60. */
export const DEFAULT_COMPOSITION: Record<Split, SplitComposition> = {
  test: { text: 294, image: 193, report: 87 },
  dev: { text: 24, image: 24, report: 12 },
};

/** Distinct rendered cases in a scaled release; further items reuse them so disk use stays small. */
export const SCALE_IMAGE_POOL = 48;
const CHINESE_SHARE = 0.15;
export const SYNTH_NAME = 'SpineBench-Synth';

export interface SynthOptions {
  seed: number;
  outDir: string;
  /** Number of test-split items for load tests (paper proportions kept); default: the paper's 574. */
  scale?: number;
  /** Remove an existing, non-empty outDir first (otherwise a non-empty outDir is refused). */
  overwrite?: boolean;
  /**
   * Seed of the hidden test split alone (the dev split still comes from `seed`): a platform demo generates its
   * hidden split from a secret, so the public generator cannot recompute the demo board's answers.
   */
  hiddenSeed?: number;
  /** Generate the public dev split only (what the local CLI caches: it never needs hidden items). */
  devOnly?: boolean;
  onProgress?: (done: number, total: number) => void;
}

export function compositionFor(scale?: number): Record<Split, SplitComposition> {
  if (!scale) return DEFAULT_COMPOSITION;
  if (!Number.isInteger(scale) || scale < 3) throw new Error(`--scale must be an integer of at least 3 (got ${scale})`);
  const paper = DEFAULT_COMPOSITION.test;
  const total = paper.text + paper.image + paper.report;
  const text = Math.round((scale * paper.text) / total);
  const image = Math.round((scale * paper.image) / total);
  return { test: { text, image, report: scale - text - image }, dev: DEFAULT_COMPOSITION.dev };
}

class SplitBuilder {
  readonly drafts: (McqDraft | ReportDraft)[] = [];
  private readonly pool: { synthCase: SynthCase; images: ImageRef[] }[] = [];
  private caseCount = 0;

  constructor(
    private readonly split: Split,
    private readonly prng: Prng,
    private readonly images: Map<string, Buffer>,
    private readonly poolSize: number,
    private readonly progress: () => void,
  ) {}

  /** A new case with rendered images, or a pooled one once the pool is full (scaled releases). */
  private nextCase(): { synthCase: SynthCase; images: ImageRef[] } {
    if (this.pool.length >= this.poolSize) return this.pool[this.caseCount++ % this.poolSize];
    const synthCase = randomCase(this.prng, `${this.split}-case-${String(++this.caseCount).padStart(4, '0')}`);
    const rendered: RenderedImage[] = renderCase(synthCase, this.prng);
    for (const { file, bytes } of rendered) this.images.set(file, bytes);
    const entry = { synthCase, images: rendered.map(({ file, modality, view }) => ({ file, modality, view })) };
    this.pool.push(entry);
    return entry;
  }

  addText(count: number, allowRepeats: boolean): void {
    for (const draft of knowledgeQuestions(this.prng, count, { allowRepeats })) {
      this.drafts.push(draft);
      this.progress();
    }
  }

  /** Two questions per case (of level, pathology, grading, planning), so the split mixes skills. */
  addImageMcqs(count: number): void {
    let made = 0;
    while (made < count) {
      const { synthCase, images } = this.nextCase();
      const questions = this.prng.shuffle(imageQuestions(synthCase, images, this.prng, CHINESE_SHARE)).slice(0, Math.min(2, count - made));
      for (const q of questions) {
        this.drafts.push(q);
        made++;
        this.progress();
      }
    }
  }

  addReports(count: number): void {
    for (let i = 0; i < count; i++) {
      const { synthCase, images } = this.nextCase();
      this.drafts.push(reportItem(synthCase, images, this.prng));
      this.progress();
    }
  }

  /** Items in a seeded shuffled order with ids that say nothing about their content. */
  items(): Item[] {
    return this.prng.shuffle(this.drafts).map((draft, i) => ({ id: `synth-${this.split}-${String(i + 1).padStart(6, '0')}`, split: this.split, ...draft }) as Item);
  }
}

/**
 * Generates SpineBench-Synth into `outDir`: items.jsonl, PNG images and manifest.json. The same seed
 * (and scale) gives byte-identical output. Every item is marked synthetic.
 */
export async function generateSynthRelease(opts: SynthOptions): Promise<{ dir: string; manifest: ReleaseManifest }> {
  const composition = compositionFor(opts.scale);
  const existing = await readdir(opts.outDir).catch(() => []);
  if (existing.length > 0) {
    if (!opts.overwrite) throw new Error(`${opts.outDir} is not empty; choose an empty folder or overwrite it`);
    await rm(opts.outDir, { recursive: true, force: true });
  }
  const splits = opts.devOnly ? [composition.dev] : Object.values(composition);
  const total = splits.reduce((sum, c) => sum + c.text + c.image + c.report, 0);
  let done = 0;
  const progress = () => opts.onProgress?.(++done, total);
  const root = new Prng(opts.seed);
  const images = new Map<string, Buffer>();
  const items: Item[] = [];
  const hidden = opts.hiddenSeed === undefined ? root : new Prng(opts.hiddenSeed);
  for (const split of opts.devOnly ? (['dev'] as const) : (['dev', 'test'] as const)) {
    const c = composition[split];
    const scaled = opts.scale !== undefined && split === 'test';
    const builder = new SplitBuilder(split, split === 'test' ? hidden.fork(split) : root.fork(split), images, scaled ? SCALE_IMAGE_POOL : Number.POSITIVE_INFINITY, progress);
    builder.addText(c.text, scaled);
    builder.addImageMcqs(c.image);
    builder.addReports(c.report);
    items.push(...builder.items());
  }
  const manifest = await writeReleaseFolder(opts.outDir, {
    info: {
      name: SYNTH_NAME,
      // A secret hidden split is another release: `-private` (nothing derived from the secret seed, which a hash
      // would let anyone search for).
      version: `1.0.0-seed${opts.seed}${opts.scale ? `-scale${opts.scale}` : ''}${opts.hiddenSeed === undefined ? '' : '-private'}`,
      licence: 'CC0-1.0',
      description:
        'SpineBench-Synth: a SYNTHETIC demo release generated deterministically from a seed. Images are drawn geometric spines ' +
        '(lateral/AP radiographs, sagittal CT, sagittal T2 MRI) with pathologies at known levels; no real patient data. ' +
        'Same composition and item format as SpineBench (487 MCQ: 294 text-only, 193 image; 87 report cases).',
      created: '2025-10-03',
      synthetic: true,
    },
    items,
    images: [...images.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  });
  return { dir: opts.outDir, manifest };
}
