import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Content-addressed image store on disk: each image lives at `<dir>/<first two hex>/<sha256>`.
 * Writing the same bytes twice is a no-op; files are written to a temporary name and renamed, so a
 * reader never sees a half-written image.
 */

const SHA256 = /^[0-9a-f]{64}$/;

export function imagePath(dir: string, sha256: string): string {
  if (!SHA256.test(sha256)) throw new Error(`Not a SHA-256 hex digest: ${JSON.stringify(sha256)}`);
  return path.join(dir, sha256.slice(0, 2), sha256);
}

/** Stores the bytes (atomically, once) and returns their SHA-256. */
export async function putImage(dir: string, bytes: Uint8Array): Promise<string> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const target = imagePath(dir, sha256);
  if (await hasImage(dir, sha256)) return sha256;
  await mkdir(path.dirname(target), { recursive: true });
  const temporary = `${target}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, bytes, { flag: 'wx' });
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  return sha256;
}

/** Stores a file's bytes; checks them against the expected digest when one is given. */
export async function putImageFile(dir: string, sourcePath: string, expectedSha256?: string): Promise<string> {
  if (expectedSha256 && (await hasImage(dir, expectedSha256))) return expectedSha256;
  const bytes = await readFile(sourcePath);
  const sha256 = await putImage(dir, bytes);
  if (expectedSha256 && sha256 !== expectedSha256) throw new Error(`${sourcePath} changed while importing (digest ${sha256}, expected ${expectedSha256})`);
  return sha256;
}

export async function hasImage(dir: string, sha256: string): Promise<boolean> {
  const stats = await stat(imagePath(dir, sha256)).catch(() => null);
  return stats !== null && stats.isFile();
}

export async function readImage(dir: string, sha256: string): Promise<Buffer> {
  return readFile(imagePath(dir, sha256));
}
