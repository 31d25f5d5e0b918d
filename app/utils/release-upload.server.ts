import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { unstable_parseMultipartFormData, type UploadHandlerPart } from '@remix-run/node';
import { archiveKind } from '../../benchmark/release/archive';

/** Thrown for an upload refused before import (too large, not an archive, missing): the message is for the page. */
export class UploadRefusedError extends Error {
  constructor(message: string) {
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

const FIELD_LIMIT_BYTES = 8 * 1024;

const mib = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(bytes < 1024 ** 2 ? 2 : 0)} MiB`;

/** The uploaded name reduced to a safe base name (the path the browser sent is dropped). */
export function safeUploadName(filename: string): string {
  const base = filename.split(/[/\\]/).pop() ?? '';
  const cleaned = base.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '');
  return cleaned.slice(-120) || 'release';
}

function byteLimit(maxBytes: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > maxBytes) callback(new UploadRefusedError(`The archive is larger than the upload limit of ${mib(maxBytes)}.`));
      else callback(null, chunk);
    },
  });
}

async function drain(data: AsyncIterable<Uint8Array>): Promise<void> {
  for await (const _chunk of data);
}

/**
 * Receives a multipart form with one release archive (field `archive`, .tar/.tar.gz/.tgz/.zip), streaming it
 * to a fresh folder under `workDir` with a size limit; other fields must be small text. A refused or failed
 * upload leaves nothing on disk. The caller disposes of the result after importing.
 */
export async function receiveReleaseArchive(
  request: Request,
  opts: { workDir: string; maxBytes: number; field?: string },
): Promise<{ archive: ReceivedArchive; fields: FormData }> {
  const field = opts.field ?? 'archive';
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (declared > opts.maxBytes + 64 * 1024) throw new UploadRefusedError(`The upload is ${mib(declared)}; the limit is ${mib(opts.maxBytes)}.`);
  await mkdir(opts.workDir, { recursive: true });
  const dir = await mkdtemp(path.join(opts.workDir, 'upload-'));
  const dispose = () => rm(dir, { recursive: true, force: true });
  let archive: ReceivedArchive | null = null;

  const handler = async (part: UploadHandlerPart): Promise<string | undefined> => {
    if (part.filename === undefined) {
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of part.data) {
        size += chunk.length;
        if (size > FIELD_LIMIT_BYTES) throw new UploadRefusedError(`Form field "${part.name}" is too long.`);
        chunks.push(Buffer.from(chunk));
      }
      return Buffer.concat(chunks).toString('utf8');
    }
    if (part.name !== field || archive || part.filename === '') {
      await drain(part.data);
      return undefined;
    }
    const fileName = safeUploadName(part.filename);
    if (!archiveKind(fileName)) {
      await drain(part.data);
      throw new UploadRefusedError(`${fileName} is not a .tar, .tar.gz, .tgz or .zip archive.`);
    }
    const archivePath = path.join(dir, fileName);
    await pipeline(Readable.from(part.data), byteLimit(opts.maxBytes), createWriteStream(archivePath, { flags: 'wx' }));
    archive = { archivePath, fileName, dispose };
    return fileName;
  };

  try {
    const fields = await unstable_parseMultipartFormData(request, handler);
    if (!archive) throw new UploadRefusedError('Choose a release archive (.tar.gz or .zip) to upload.');
    return { archive, fields };
  } catch (error) {
    await dispose();
    if (error instanceof TypeError && /parse content as FormData/.test(error.message)) {
      throw new UploadRefusedError('The import form must be sent as multipart/form-data.');
    }
    if (error instanceof UploadRefusedError) throw error;
    if (/^E[A-Z]+$/.test(String((error as NodeJS.ErrnoException)?.code ?? ''))) throw error; // disk full etc.: the platform's fault
    // Anything else the multipart parser trips on (a malformed Content-Disposition, a cut-off body) is the upload's fault.
    throw new UploadRefusedError('The upload could not be read as a multipart form (a malformed part header, or the body was cut off); nothing was kept.');
  }
}
