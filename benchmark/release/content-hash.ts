import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** A file of a release: release-relative POSIX path, size in bytes, SHA-256 of its bytes (hex). */
export interface HashedFile {
  file: string;
  size: number;
  sha256: string;
}

/**
 * The content hash of a release (docs/release-format.md, "Content hash"):
 *
 *   files  = items.jsonl and every distinct image file its items reference, as release-relative
 *            POSIX paths, sorted by their UTF-8 bytes (LC_ALL=C sort)
 *   list   = for each file, one line:  <path> TAB <size in bytes, decimal> TAB <sha256 hex of its bytes> LF
 *   result = "sha256:" + lower-case hex SHA-256 of the list
 *
 * manifest.json is not part of it (it holds the hash), nor are files no item references.
 * Reproducible from a shell: see docs/release-format.md.
 */
export function computeContentHash(files: Iterable<HashedFile>): string {
  const byPath = new Map<string, HashedFile>();
  for (const file of files) byPath.set(file.file, file);
  const list = [...byPath.values()]
    .sort((a, b) => compareUtf8(a.file, b.file))
    .map((f) => `${f.file}\t${f.size}\t${f.sha256}\n`)
    .join('');
  return `sha256:${createHash('sha256').update(list, 'utf8').digest('hex')}`;
}

/** Byte-wise comparison of the UTF-8 encodings (not UTF-16 code units, not locale order). */
export function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** SHA-256 (hex) and size of a file on disk, streamed. */
export async function hashFile(absolutePath: string): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(absolutePath)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { size, sha256: hash.digest('hex') };
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
