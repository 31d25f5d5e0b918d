/**
 * The platform's one multipart receiver (the ONNX form, the maintainers' release import): a browser form
 * with one file, streamed to disk with busboy under a size limit; the text fields are kept in memory (they
 * are small and limited). A malformed form (bad Content-Disposition, cut-off body) is a 400 UploadError, a
 * file over the limit a 413; on any failure the partial file is removed.
 */
import busboy from 'busboy';
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { UploadError } from './chunked-uploads.server';

export interface ReceivedForm {
  fields: Record<string, string>;
  /** The archive, or null when the form held no file under `fileField`. */
  file: { path: string; bytes: number; filename: string } | null;
}

export interface ReceiveOptions {
  /** Folder the file is written to (created if needed). */
  dir: string;
  maxBytes: number;
  fileField: string;
  /** The file's name in `dir`, from the name the browser sent; default a random `<uuid>.upload`. */
  fileName?: (uploadedName: string) => string;
}

export async function receiveMultipartFile(request: Request, opts: ReceiveOptions): Promise<ReceivedForm> {
  const contentType = request.headers.get('content-type') ?? '';
  if (!contentType.startsWith('multipart/form-data') || !request.body) {
    throw new UploadError(400, 'The form must be sent as multipart/form-data with the archive file.');
  }
  await mkdir(opts.dir, { recursive: true });
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { 'content-type': contentType },
      limits: { files: 1, fileSize: opts.maxBytes, fields: 20, fieldSize: 64 * 1024, parts: 30 },
    });
  } catch {
    throw new UploadError(400, 'The form must be sent as multipart/form-data with a boundary.');
  }
  const fields: Record<string, string> = {};
  let file: ReceivedForm['file'] = null;
  let tooLarge = false;
  const writes: Promise<void>[] = [];
  parser.on('field', (name, value) => {
    fields[name] = value;
  });
  parser.on('file', (name, stream, info) => {
    if (name !== opts.fileField || file) {
      stream.resume();
      return;
    }
    const target = path.join(opts.dir, opts.fileName ? opts.fileName(info.filename ?? '') : `${randomUUID()}.upload`);
    const received = { path: target, bytes: 0, filename: info.filename ?? '' };
    file = received;
    stream.on('limit', () => (tooLarge = true));
    const out = createWriteStream(target, { flags: 'wx' });
    writes.push(pipeline(stream, out).then(() => void (received.bytes = out.bytesWritten)));
  });
  try {
    await pipeline(Readable.fromWeb(request.body as WebReadableStream<Uint8Array>), parser);
    await Promise.all(writes);
  } catch {
    await Promise.allSettled(writes);
    if (file) await rm((file as { path: string }).path, { force: true });
    throw new UploadError(400, 'The upload was cut off or is not a valid multipart form; nothing was kept.');
  }
  const received = file as ReceivedForm['file'];
  if (tooLarge && received) {
    await rm(received.path, { force: true });
    throw new UploadError(413, `The archive is larger than this platform accepts through the form (${opts.maxBytes} bytes); nothing was kept.`);
  }
  if (received && received.bytes === 0) {
    await rm(received.path, { force: true });
    return { fields, file: null };
  }
  return { fields, file: received };
}

export async function discardReceivedFile(file: { path: string }): Promise<void> {
  await rm(file.path, { force: true });
}
