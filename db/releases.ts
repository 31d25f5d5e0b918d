import { and, asc, count, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Item, StoredImageRef, StoredItem } from '../benchmark/item-schema';
import type { LoadedRelease } from '../benchmark/release/load-folder';
import type { ReleaseManifest } from '../benchmark/release/manifest-schema';
import { writeReleaseFolder } from '../benchmark/release/write-folder';
import type { Database } from './client';
import { putImageFile, readImage } from './image-store';
import { items, releases } from './schema';

export type ReleaseStatus = 'draft' | 'published' | 'deprecated';
export type ReleaseRow = typeof releases.$inferSelect;

/** A release lifecycle rule was broken (change to a published release, publish a deprecated one, …). */
export class ReleaseLifecycleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReleaseLifecycleError';
  }
}

/**
 * Rows per INSERT: 6 columns × 4000 = 24,000 bind parameters, under Postgres' 65,535; larger batches
 * amortise round trips (measured with perf/release-import.ts: 4000 beat 1000 and 8000).
 */
export const ITEM_BATCH_SIZE = 4000;

/**
 * `insert … select` from one JSON parameter per batch. Building a multi-row VALUES list costs drizzle
 * about 60 µs per row in query building alone (6 s for 100k items); one jsonb parameter expanded by
 * Postgres avoids that and stays within the query builder (no db.execute), so it runs on postgres.js and PGlite.
 * Column order follows db/schema.ts `items` (the insert lists every column).
 */
function itemsFromJson(releaseId: number, rows: { item_key: string; split: string; task: string; ordinal: number; payload: StoredItem }[]) {
  return sql`select nextval(pg_get_serial_sequence('items', 'id')), ${releaseId}::integer, x.item_key, x.split, x.task, x.ordinal, x.payload
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(item_key text, split text, task text, ordinal integer, payload jsonb)
    order by x.ordinal`;
}

/** The item as stored in `items.payload`: each image gains its content hash and media type. */
export function toStoredItem(item: Item, loaded: Pick<LoadedRelease, 'images'>): StoredItem {
  const images: StoredImageRef[] = item.images.map((image) => {
    const file = loaded.images.get(image.file);
    if (!file) throw new Error(`image ${image.file} was not loaded`);
    return { ...image, sha256: file.sha256, mediaType: file.mediaType };
  });
  return { ...item, images } as StoredItem;
}

/**
 * Writes a validated release: images into the content-addressed store, then the release row and all its
 * items in one transaction (all or nothing). The same content (same content hash) imported again returns the
 * existing release with created=false. Importing different content under the name and version of a
 * published or deprecated release is refused; a draft with that name and version is replaced.
 * Images are stored before the transaction: a failed import can leave unreferenced images behind, which is
 * harmless in a content-addressed store.
 */
export async function importRelease(
  db: Database,
  loaded: LoadedRelease,
  opts: { imageStoreDir: string },
): Promise<{ releaseId: number; created: boolean }> {
  const existing = await findReleaseByHash(db, loaded.contentHash);
  if (existing) return { releaseId: existing.id, created: false };
  const { name, version } = loaded.manifest;
  const sameName = await findReleaseByNameVersion(db, name, version);
  if (sameName && sameName.status !== 'draft') {
    throw new ReleaseLifecycleError(
      `Release ${name} ${version} is ${sameName.status} and immutable; import the new content under a new version`,
    );
  }

  for (const image of loaded.images.values()) await putImageFile(opts.imageStoreDir, image.absolutePath, image.sha256);

  try {
    const releaseId = await db.transaction(async (tx) => {
      let id: number;
      if (sameName) {
        // Replace the draft in place (its id may already be referenced by dev-split trial runs).
        const updated = await tx
          .update(releases)
          .set({ contentHash: loaded.contentHash, manifest: loaded.manifest })
          .where(and(eq(releases.id, sameName.id), eq(releases.status, 'draft')))
          .returning({ id: releases.id });
        if (updated.length === 0) throw new ReleaseLifecycleError(`Release ${name} ${version} was published while importing`);
        await tx.delete(items).where(eq(items.releaseId, sameName.id));
        id = sameName.id;
      } else {
        const [row] = await tx
          .insert(releases)
          .values({ name, version, status: 'draft', contentHash: loaded.contentHash, manifest: loaded.manifest })
          .returning({ id: releases.id });
        id = row.id;
      }
      for (let start = 0; start < loaded.items.length; start += ITEM_BATCH_SIZE) {
        const batch = loaded.items.slice(start, start + ITEM_BATCH_SIZE).map((item, i) => ({
          item_key: item.id,
          split: item.split,
          task: item.task,
          ordinal: start + i,
          payload: toStoredItem(item, loaded),
        }));
        await tx.insert(items).select(itemsFromJson(id, batch));
      }
      return id;
    });
    return { releaseId, created: true };
  } catch (error) {
    // A concurrent import of the same content may have won the race.
    const winner = await findReleaseByHash(db, loaded.contentHash);
    if (winner) return { releaseId: winner.id, created: false };
    throw error;
  }
}

export async function findReleaseByHash(db: Database, contentHash: string): Promise<ReleaseRow | null> {
  const [row] = await db.select().from(releases).where(eq(releases.contentHash, contentHash)).orderBy(asc(releases.id)).limit(1);
  return row ?? null;
}

export async function findReleaseByNameVersion(db: Database, name: string, version: string): Promise<ReleaseRow | null> {
  const [row] = await db.select().from(releases).where(and(eq(releases.name, name), eq(releases.version, version))).limit(1);
  return row ?? null;
}

export async function getRelease(db: Database, releaseId: number): Promise<ReleaseRow | null> {
  const [row] = await db.select().from(releases).where(eq(releases.id, releaseId)).limit(1);
  return row ?? null;
}

/** All releases, newest first. */
export async function listReleases(db: Database, opts: { statuses?: ReleaseStatus[] } = {}): Promise<ReleaseRow[]> {
  const query = db.select().from(releases);
  const filtered = opts.statuses ? query.where(inArray(releases.status, opts.statuses)) : query;
  return filtered.orderBy(desc(releases.createdAt), desc(releases.id));
}

/** draft → published (idempotent for a published release). */
export async function publishRelease(db: Database, releaseId: number): Promise<ReleaseRow> {
  const release = await requireRelease(db, releaseId);
  if (release.status === 'published') return release;
  if (release.status === 'deprecated') throw new ReleaseLifecycleError(`Release ${release.name} ${release.version} is deprecated and cannot be published again`);
  const [row] = await db
    .update(releases)
    .set({ status: 'published', publishedAt: new Date() })
    .where(and(eq(releases.id, releaseId), eq(releases.status, 'draft')))
    .returning();
  return row ?? requireRelease(db, releaseId);
}

/** draft or published → deprecated (idempotent). A deprecated release keeps its items and results. */
export async function deprecateRelease(db: Database, releaseId: number): Promise<ReleaseRow> {
  const release = await requireRelease(db, releaseId);
  if (release.status === 'deprecated') return release;
  const [row] = await db.update(releases).set({ status: 'deprecated' }).where(eq(releases.id, releaseId)).returning();
  return row;
}

async function requireRelease(db: Database, releaseId: number): Promise<ReleaseRow> {
  const release = await getRelease(db, releaseId);
  if (!release) throw new ReleaseLifecycleError(`No release with id ${releaseId}`);
  return release;
}

export async function countReleaseItems(db: Database, releaseId: number): Promise<{ dev: number; test: number }> {
  const rows = await db.select({ split: items.split, n: count() }).from(items).where(eq(items.releaseId, releaseId)).groupBy(items.split);
  const counts = { dev: 0, test: 0 };
  for (const row of rows) counts[row.split] = Number(row.n);
  return counts;
}

/** How many MCQ items of a split have each option count: the chance line of charts (evaluator/scoring/chance.ts). Counts only. */
export async function countMcqOptions(db: Database, releaseId: number, split: 'dev' | 'test'): Promise<Array<{ options: number; items: number }>> {
  const k = sql<number>`(select count(*) from jsonb_object_keys(${items.payload}->'options'))::int`;
  const rows = await db
    .select({ options: k, items: count() })
    .from(items)
    .where(and(eq(items.releaseId, releaseId), eq(items.split, split), eq(items.task, 'mcq')))
    .groupBy(k);
  return rows.map((r) => ({ options: Number(r.options), items: Number(r.items) }));
}

/**
 * Public dev-split items of a release, in release order, for the item browser and dev sanity runs.
 * Only the dev split: the hidden test split never leaves the server through this function.
 */
export async function listDevItems(db: Database, releaseId: number, opts: { limit?: number; offset?: number } = {}): Promise<{ id: number; item: StoredItem }[]> {
  const rows = await db
    .select({ id: items.id, payload: items.payload })
    .from(items)
    .where(and(eq(items.releaseId, releaseId), eq(items.split, 'dev')))
    .orderBy(asc(items.ordinal))
    .limit(opts.limit ?? 1000)
    .offset(opts.offset ?? 0);
  return rows.map((row) => ({ id: row.id, item: row.payload as StoredItem }));
}

function fromStoredItem(stored: StoredItem): Item {
  return { ...stored, images: stored.images.map(({ file, modality, view }) => ({ file, modality, view })) } as Item;
}

/**
 * Writes a release back out in the release format. `includeHidden: false` (the public download) writes
 * the dev split only, with its own counts and content hash; `true` (maintainers only) writes every item.
 * Item order and image paths are kept; JSON key order may differ from the imported file, so the content
 * hash of a full export is its own.
 */
export async function exportRelease(
  db: Database,
  releaseId: number,
  outDir: string,
  opts: { includeHidden: boolean; imageStoreDir: string },
): Promise<ReleaseManifest> {
  const release = await requireRelease(db, releaseId);
  const where = opts.includeHidden ? eq(items.releaseId, releaseId) : and(eq(items.releaseId, releaseId), eq(items.split, 'dev'));
  const rows = await db.select({ payload: items.payload }).from(items).where(where).orderBy(asc(items.ordinal));
  const stored = rows.map((row) => row.payload as StoredItem);
  const imageFiles = new Map<string, string>();
  for (const item of stored) for (const image of item.images) imageFiles.set(image.file, image.sha256);

  async function* images(): AsyncGenerator<[string, Uint8Array]> {
    for (const [file, sha256] of imageFiles) yield [file, await readImage(opts.imageStoreDir, sha256)];
  }
  const manifest = release.manifest as ReleaseManifest;
  return writeReleaseFolder(outDir, {
    info: {
      name: manifest.name,
      version: manifest.version,
      licence: manifest.licence,
      description: opts.includeHidden ? manifest.description : `${manifest.description} (public dev split only)`,
      created: manifest.created,
      ...(manifest.synthetic !== undefined ? { synthetic: manifest.synthetic } : {}),
    },
    items: stored.map(fromStoredItem),
    images: images(),
  });
}
