/** Writing a stored release back out in the release format (public dev download, maintainer export). */
import { and, asc, eq } from 'drizzle-orm';
import type { Item, StoredItem } from '../benchmark/item-schema';
import type { ReleaseManifest } from '../benchmark/release/manifest-schema';
import { writeReleaseFolder } from '../benchmark/release/write-folder';
import type { Database } from './client';
import { readImage } from './image-store';
import { requireRelease } from './queries/releases';
import { items } from './schema';

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
  const stored = rows.map((row) => row.payload);
  const imageFiles = new Map<string, string>();
  for (const item of stored) for (const image of item.images) imageFiles.set(image.file, image.sha256);

  async function* images(): AsyncGenerator<[string, Uint8Array]> {
    for (const [file, sha256] of imageFiles) yield [file, await readImage(opts.imageStoreDir, sha256)];
  }
  const manifest = release.manifest;
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
