/** Builders for test archives, honest and hostile, made in the test itself. */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { Header } from 'tar';
import yazl from 'yazl';

export interface TarEntrySpec {
  path: string;
  type?: 'File' | 'Directory' | 'SymbolicLink' | 'Link' | 'FIFO';
  data?: Buffer;
  linkpath?: string;
}

/** A ustar archive written block by block, so that names like ../x or /etc/x survive as given. */
export function tarBuffer(entries: TarEntrySpec[]): Buffer {
  const blocks: Buffer[] = [];
  for (const e of entries) {
    const data = e.data ?? Buffer.alloc(0);
    const header = new Header({ path: e.path, type: e.type ?? 'File', size: data.length, mode: 0o644, uid: 0, gid: 0, mtime: new Date(0), linkpath: e.linkpath });
    const block = Buffer.alloc(512);
    header.encode(block, 0);
    blocks.push(block, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

export const tarGzBuffer = (entries: TarEntrySpec[]) => gzipSync(tarBuffer(entries));

export interface ZipEntrySpec {
  path: string;
  data: Buffer;
  mode?: number;
  compress?: boolean;
}

export function zipBuffer(entries: ZipEntrySpec[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const e of entries) zip.addBuffer(e.data, e.path, { mode: e.mode ?? 0o100644, compress: e.compress ?? true, mtime: new Date(0) });
  zip.end();
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks))).on('error', reject);
  });
}

/**
 * yazl refuses unsafe names, as it should; a zip-slip archive is made by writing a same-length safe
 * name and swapping the bytes afterwards (names are not covered by the CRC).
 */
export function renameInZip(zip: Buffer, from: string, to: string): Buffer {
  if (from.length !== to.length) throw new Error('names must have the same length');
  const out = Buffer.from(zip);
  let at = out.indexOf(from);
  let count = 0;
  while (at !== -1) {
    out.write(to, at, 'latin1');
    count++;
    at = out.indexOf(from, at + 1);
  }
  if (count < 2) throw new Error(`expected the name in the local header and the central directory, found ${count}`);
  return out;
}

/** Every file of a folder as archive entries under `prefix`. */
export async function folderEntries(dir: string, prefix = ''): Promise<{ path: string; data: Buffer }[]> {
  const out: { path: string; data: Buffer }[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await folderEntries(full, rel)));
    else out.push({ path: rel, data: await readFile(full) });
  }
  return out;
}
