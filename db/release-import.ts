import { and, eq, sql } from 'drizzle-orm';
import type { Item, StoredImageRef, StoredItem } from '../benchmark/item-schema';
import type { LoadedRelease } from '../benchmark/release/load-folder';
import { loadRelease } from '../benchmark/release/load-release';
import type { Database } from './client';
import { putImageFile } from './image-store';
import { findReleaseByHash, findReleaseByNameVersion, ReleaseLifecycleError } from './queries/releases';
import { items, releases } from './schema';

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

/**
 * Loads, validates and imports a release folder or archive. Validation completes before anything is
 * written (image store or database); temporary files of archives are removed afterwards.
 */
export async function importReleaseFromPath(
  db: Database,
  source: string,
  opts: { imageStoreDir: string; tempDir?: string },
): Promise<{ releaseId: number; created: boolean; name: string; version: string; contentHash: string; counts: { dev: number; test: number } }> {
  const loaded = await loadRelease(source, { tempDir: opts.tempDir });
  try {
    const result = await importRelease(db, loaded, { imageStoreDir: opts.imageStoreDir });
    return {
      ...result,
      name: loaded.manifest.name,
      version: loaded.manifest.version,
      contentHash: loaded.contentHash,
      counts: { dev: loaded.counts.dev, test: loaded.counts.test },
    };
  } finally {
    await loaded.dispose();
  }
}
