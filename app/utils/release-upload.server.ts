import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { UploadError } from './chunked-uploads.server';
import { receiveMultipartFile } from './multipart-upload.server';

/** Thrown for an upload refused before import (too large, malformed, missing): the message is for the page. */
export class UploadRefusedError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = 'UploadRefusedError';
  }
}

export interface ReceivedArchive {
  /** The archive on disk, named after the uploaded file (so validation messages name it). */
  archivePath: string;
  fileName: string;
  /** Removes the upload folder. */
  dispose(): Promise<void>;
}

const mib = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(bytes < 1024 ** 2 ? 2 : 0)} MiB`;

/** The uploaded name reduced to a safe base name (the path the browser sent is dropped). */
export function safeUploadName(filename: string): string {
  const base = filename.split(/[/\\]/).pop() ?? '';
  const cleaned = base.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '');
  return cleaned.slice(-120) || 'release';
}

/**
 * Receives a multipart form with one release archive (field `archive`) through the platform's multipart
 * receiver, into a fresh folder under `workDir`; the archive's format is recognised from its bytes at import.
 * A refused or failed upload leaves nothing on disk. The caller disposes of the result after importing.
 */
export async function receiveReleaseArchive(
  request: Request,
  opts: { workDir: string; maxBytes: number; field?: string },
): Promise<{ archive: ReceivedArchive; fields: Record<string, string> }> {
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (declared > opts.maxBytes + 64 * 1024) throw new UploadRefusedError(`The upload is ${mib(declared)}; the limit is ${mib(opts.maxBytes)}.`, 413);
  await mkdir(opts.workDir, { recursive: true });
  const dir = await mkdtemp(path.join(opts.workDir, 'upload-'));
  const dispose = () => rm(dir, { recursive: true, force: true });
  try {
    const received = await receiveMultipartFile(request, { dir, maxBytes: opts.maxBytes, fileField: opts.field ?? 'archive', fileName: safeUploadName });
    if (!received.file) throw new UploadRefusedError('Choose a release archive (.tar.gz or .zip) to upload.');
    const fileName = path.basename(received.file.path);
    return { archive: { archivePath: received.file.path, fileName, dispose }, fields: received.fields };
  } catch (error) {
    await dispose();
    if (error instanceof UploadError) throw new UploadRefusedError(error.message, error.status);
    throw error;
  }
}
