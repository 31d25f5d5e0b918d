import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import { createHash } from 'node:crypto';
import type { Item } from '../item-schema';
import { computeContentHash, sha256Hex, type HashedFile } from './content-hash';
import { ITEMS_FILE } from './item-checks';
import { MANIFEST_FILE } from './load-folder';
import { RELEASE_FORMAT, releaseManifestSchema, type ReleaseManifest } from './manifest-schema';
import { unsafeRelativePathReason } from './safe-path';

/** The parts of a manifest a writer chooses; format, split counts and content hash are computed. */
export type ReleaseInfo = Omit<ReleaseManifest, 'format' | 'splits' | 'contentHash'>;

/**
 * Writes a release folder (items.jsonl, the image files, manifest.json with counts and content hash).
 * `images` maps each release-relative path the items reference to its bytes. Returns the manifest.
 */
export async function writeReleaseFolder(
  dir: string,
  release: { info: ReleaseInfo; items: Iterable<Item>; images: Iterable<[string, Uint8Array]> | AsyncIterable<[string, Uint8Array]> },
): Promise<ReleaseManifest> {
  await mkdir(dir, { recursive: true });
  const hashed: HashedFile[] = [];
  const madeFolders = new Set<string>();
  for await (const [file, bytes] of release.images) {
    const reason = unsafeRelativePathReason(file);
    if (reason) throw new Error(`image path "${file}" ${reason}`);
    const absolute = path.join(dir, ...file.split('/'));
    const folder = path.dirname(absolute);
    if (!madeFolders.has(folder)) {
      await mkdir(folder, { recursive: true });
      madeFolders.add(folder);
    }
    await writeFile(absolute, bytes);
    hashed.push({ file, size: bytes.length, sha256: sha256Hex(bytes) });
  }

  const splits = { dev: { items: 0 }, test: { items: 0 } };
  const itemsHash = createHash('sha256');
  let itemsSize = 0;
  const out = createWriteStream(path.join(dir, ITEMS_FILE));
  for (const item of release.items) {
    splits[item.split].items++;
    const line = Buffer.from(`${JSON.stringify(item)}\n`, 'utf8');
    itemsHash.update(line);
    itemsSize += line.length;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  hashed.push({ file: ITEMS_FILE, size: itemsSize, sha256: itemsHash.digest('hex') });

  const manifest = releaseManifestSchema.parse({
    format: RELEASE_FORMAT,
    ...release.info,
    splits,
    contentHash: computeContentHash(hashed),
  });
  await writeFile(path.join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
