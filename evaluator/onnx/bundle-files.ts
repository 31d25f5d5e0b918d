/**
 * Reading files of a bundle that a team controls, without trusting the folder: a file is opened with
 * O_NOFOLLOW (a symbolic link is refused, never followed) and O_NONBLOCK (opening a FIFO cannot hang a
 * thread), then fstat-ed through the same descriptor, so what is checked is what is read. Only regular
 * files are read, and only up to a cap known before reading, so a 280 MB tokenizer.json is refused by
 * its size instead of being parsed.
 */
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

const MiB = 1024 * 1024;

/** Largest size read of each JSON file of a bundle; real tokenizers are well under these. */
export const BUNDLE_JSON_LIMITS: Record<string, number> = {
  'tokenizer.json': 64 * MiB,
  'tokenizer_config.json': 16 * MiB,
};
export const DEFAULT_JSON_LIMIT = 4 * MiB;

export function jsonLimitFor(file: string): number {
  return BUNDLE_JSON_LIMITS[file] ?? DEFAULT_JSON_LIMIT;
}

/** A refusal that names what is wrong with the file and never quotes its content. */
export class BundleFileError extends Error {
  constructor(
    readonly kind: 'missing' | 'not_regular' | 'too_large',
    message: string,
  ) {
    super(message);
    this.name = 'BundleFileError';
  }
}

/** Opens a bundle file for reading: no links, no FIFOs or devices. The caller closes the handle. */
export async function openRegularFile(file: string): Promise<{ handle: FileHandle; size: number }> {
  let handle: FileHandle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ELOOP' || code === 'EMLINK') throw new BundleFileError('not_regular', 'is a symbolic link; bundles hold regular files only');
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new BundleFileError('missing', 'required file is missing');
    throw new BundleFileError('not_regular', `cannot be opened (${code ?? 'error'})`);
  }
  const info = await handle.stat();
  if (!info.isFile()) {
    await handle.close();
    throw new BundleFileError('not_regular', 'is not a regular file (a FIFO, device or folder); bundles hold regular files only');
  }
  return { handle, size: info.size };
}

/** The file's bytes, refused (without reading) when it is larger than `maxBytes`. */
export async function readRegularFile(file: string, maxBytes: number): Promise<Buffer> {
  const { handle, size } = await openRegularFile(file);
  try {
    if (size > maxBytes) throw new BundleFileError('too_large', `is ${size} bytes; the platform reads at most ${maxBytes} bytes of this file`);
    // Read at most maxBytes + 1 whatever fstat said, in case the file grows while it is read.
    const buffer = Buffer.alloc(Math.min(size, maxBytes) + 1);
    let filled = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
      if (filled === buffer.length) break;
    }
    if (filled > maxBytes) throw new BundleFileError('too_large', `grew past ${maxBytes} bytes while it was read`);
    return buffer.subarray(0, filled);
  } finally {
    await handle.close();
  }
}

/** JSON.parse's message without the text it quotes (V8 quotes the start of the input). */
export function describeJsonError(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  const position = /position (\d+)/.exec(message)?.[1];
  if (/Unexpected end/i.test(message)) return 'not valid JSON (it ends too early)';
  return position ? `not valid JSON (syntax error at character ${position})` : 'not valid JSON';
}
