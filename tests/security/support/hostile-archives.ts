/** Hostile archives that are too large to build in memory: written as a gzip stream, block by block. */
import { randomBytes } from 'node:crypto';
import { createGzip } from 'node:zlib';
import { Header } from 'tar';

function headerBlock(name: string, size: number): Buffer {
  const block = Buffer.alloc(512);
  new Header({ path: name, type: 'File', size, mode: 0o644, uid: 0, gid: 0, mtime: new Date(0) }).encode(block, 0);
  return block;
}

const padding = (size: number) => Buffer.alloc((512 - (size % 512)) % 512);

/**
 * A .tar.gz of a bundle whose `tokenizerPath` holds a JSON array of `elements` zeros (280 MB for 140 M
 * zeros: more elements than V8 can hold in one array), plus `noiseBytes` of random data so that the
 * archive stays under the extractor's compression-ratio limit, as the probe's 3 MB archive did.
 */
export async function jsonBombTarGz(entries: { path: string; data: Buffer }[], tokenizerPath: string, elements: number, noiseBytes: number): Promise<Buffer> {
  const gzip = createGzip({ level: 6 });
  const out: Buffer[] = [];
  gzip.on('data', (c: Buffer) => out.push(c));
  const ended = new Promise<void>((resolve, reject) => gzip.on('end', resolve).on('error', reject));
  const write = (b: Buffer) => new Promise<void>((resolve) => (gzip.write(b) ? resolve() : gzip.once('drain', resolve)));
  for (const e of entries) {
    if (e.path === tokenizerPath) continue;
    await write(headerBlock(e.path, e.data.length));
    await write(e.data);
    await write(padding(e.data.length));
  }
  const noise = randomBytes(noiseBytes);
  const noisePath = tokenizerPath.replace(/[^/]+$/, 'noise.bin');
  await write(headerBlock(noisePath, noise.length));
  await write(noise);
  await write(padding(noise.length));
  const size = 2 + 2 * elements - 1; // "[" + "0," × (n - 1) + "0" + "]"
  await write(headerBlock(tokenizerPath, size));
  const chunk = Buffer.from('0,'.repeat(512 * 1024));
  let remaining = elements - 1;
  await write(Buffer.from('['));
  while (remaining > 0) {
    const n = Math.min(remaining, chunk.length / 2);
    await write(n === chunk.length / 2 ? chunk : chunk.subarray(0, n * 2));
    remaining -= n;
  }
  await write(Buffer.from('0]'));
  await write(padding(size));
  await write(Buffer.alloc(1024));
  gzip.end();
  await ended;
  return Buffer.concat(out);
}
