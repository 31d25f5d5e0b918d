/**
 * Resumable, chunked uploads of large archives (multi-GB 7B bundles) to DATA_DIR/uploads: an upload
 * is `<id>.part` (the bytes received so far, always a prefix of the file being sent) plus `<id>.json`
 * (declared total size). Each chunk is streamed to the end of the part file, never held in memory;
 * a chunk cut off midway keeps the bytes that arrived, and the client resumes from the current offset.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { pipeline } from 'node:stream/promises';

export interface UploadState {
  id: string;
  /** Bytes received so far: where the next chunk must start. */
  offset: number;
  /** Declared size of the whole file, when the client gave it. */
  totalBytes: number | null;
  createdAt: string;
  /** The team whose API token started the upload (/api/v1/uploads); only that team may add to or finish it. */
  ownerTeamId?: number | null;
}

/** A refusal with the HTTP status that fits (400, 404, 409 wrong offset or busy, 413 too large). */
export class UploadError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly offset?: number,
  ) {
    super(message);
    this.name = 'UploadError';
  }
}

const ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** `bytes START-END/TOTAL` or `bytes START-END/*` → the chunk's range. Pure. */
export function parseContentRange(header: string | null): { start: number; end: number; total: number | null } | null {
  const m = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(header?.trim() ?? '');
  if (!m) return null;
  const start = Number(m[1]);
  const end = Number(m[2]);
  const total = m[3] === '*' ? null : Number(m[3]);
  if (end < start || (total !== null && end >= total)) return null;
  return { start, end, total };
}

export function createUploadStore(dir: string, maxBytes: number) {
  const busy = new Set<string>();
  const partPath = (id: string) => path.join(dir, `${id}.part`);
  const metaPath = (id: string) => path.join(dir, `${id}.json`);

  async function status(id: string): Promise<UploadState | null> {
    if (!ID_PATTERN.test(id)) return null;
    let meta: { totalBytes: number | null; createdAt: string; ownerTeamId?: number | null };
    try {
      meta = JSON.parse(await readFile(metaPath(id), 'utf8'));
    } catch {
      return null;
    }
    const offset = await stat(partPath(id)).then((s) => s.size, () => 0);
    return { id, offset, totalBytes: meta.totalBytes, createdAt: meta.createdAt, ownerTeamId: meta.ownerTeamId ?? null };
  }

  async function remove(id: string): Promise<void> {
    if (!ID_PATTERN.test(id)) return;
    await rm(partPath(id), { force: true });
    await rm(metaPath(id), { force: true });
  }

  return {
    dir,
    maxBytes,
    status,
    remove,
    partPath,

    /**
     * Removes uploads that received nothing for `maxIdleMs` (abandoned by their client); returns their ids.
     * An upload receiving a chunk right now is left alone.
     */
    async sweepIdle(maxIdleMs: number, now = Date.now()): Promise<string[]> {
      const names = await readdir(dir).catch(() => [] as string[]);
      const removed: string[] = [];
      for (const name of names) {
        const id = name.replace(/\.json$/, '');
        if (id === name || !ID_PATTERN.test(id) || busy.has(id)) continue;
        const lastActivity = await stat(partPath(id)).then((st) => st.mtimeMs, () => 0);
        const created = await stat(metaPath(id)).then((st) => st.mtimeMs, () => 0);
        if (now - Math.max(lastActivity, created) < maxIdleMs) continue;
        await remove(id);
        removed.push(id);
      }
      return removed;
    },

    /** Open uploads a team started, and the bytes they declared (its share of the upload folder). */
    async teamUsage(teamId: number): Promise<{ uploads: number; declaredBytes: number }> {
      const names = await readdir(dir).catch(() => [] as string[]);
      let uploads = 0;
      let declaredBytes = 0;
      for (const name of names) {
        const id = name.replace(/\.json$/, '');
        if (id === name) continue;
        const state = await status(id);
        if (state?.ownerTeamId !== teamId) continue;
        uploads++;
        declaredBytes += state.totalBytes ?? maxBytes;
      }
      return { uploads, declaredBytes };
    },

    async create(totalBytes?: number | null, opts: { ownerTeamId?: number } = {}): Promise<UploadState> {
      if (totalBytes !== undefined && totalBytes !== null && !(Number.isSafeInteger(totalBytes) && totalBytes > 0)) {
        throw new UploadError(400, 'totalBytes must be a positive whole number of bytes.');
      }
      if (totalBytes && totalBytes > maxBytes) {
        throw new UploadError(413, `The archive (${totalBytes} bytes) is larger than this platform accepts (${maxBytes} bytes).`);
      }
      await mkdir(dir, { recursive: true });
      const id = randomUUID();
      const createdAt = new Date().toISOString();
      await writeFile(partPath(id), '');
      await writeFile(metaPath(id), JSON.stringify({ totalBytes: totalBytes ?? null, createdAt, ownerTeamId: opts.ownerTeamId ?? null }));
      return { id, offset: 0, totalBytes: totalBytes ?? null, createdAt, ownerTeamId: opts.ownerTeamId ?? null };
    },

    /**
     * Appends one chunk that must start at the current offset. `length`: bytes the client says the
     * chunk holds (from Content-Range); more is refused. Going over the platform's limit removes the
     * whole upload. Returns the new state, also when the client stopped sending midway.
     * `body` stays a web stream until the pipeline takes it: a Node stream made from it earlier would
     * emit an unhandled 'error' (and end the process) if the client went away during the checks below.
     * `declaredTotal`: the TOTAL of the chunk's Content-Range, which must agree with the upload's size.
     */
    async append(id: string, start: number, body: WebReadableStream<Uint8Array> | Readable, length: number | null, declaredTotal: number | null = null): Promise<UploadState> {
      const state = await status(id);
      if (!state) throw new UploadError(404, 'No such upload (finished, removed, or never created).');
      if (declaredTotal !== null && state.totalBytes !== null && declaredTotal !== state.totalBytes) {
        throw new UploadError(400, `Content-Range says the file holds ${declaredTotal} bytes, but the upload was started for ${state.totalBytes} bytes.`, state.offset);
      }
      if (declaredTotal !== null && declaredTotal > maxBytes) {
        throw new UploadError(413, `Content-Range says the file holds ${declaredTotal} bytes, more than this platform accepts (${maxBytes} bytes).`, state.offset);
      }
      if (busy.has(id)) throw new UploadError(409, 'Another chunk of this upload is being received; resume after it ends.', state.offset);
      if (start !== state.offset) throw new UploadError(409, `The chunk starts at byte ${start}, but the upload holds ${state.offset} bytes; send from there.`, state.offset);
      const limit = Math.min(maxBytes, state.totalBytes ?? Infinity);
      busy.add(id);
      let received = 0;
      let overLimit: UploadError | undefined;
      const counter = new Transform({
        transform(chunk: Buffer, _enc, done) {
          received += chunk.length;
          if (length !== null && received > length) return done(new UploadError(400, `The chunk holds more bytes than its Content-Range says (${length}).`));
          if (start + received > limit) {
            overLimit = new UploadError(413, state.totalBytes !== null && start + received <= maxBytes
              ? `The upload passes its declared size of ${state.totalBytes} bytes.`
              : `The upload passes this platform's limit of ${maxBytes} bytes.`);
            return done(overLimit);
          }
          done(null, chunk);
        },
      });
      try {
        await pipeline(body instanceof Readable ? body : Readable.fromWeb(body), counter, createWriteStream(partPath(id), { flags: 'a' }));
      } catch (e) {
        if (overLimit) {
          await remove(id);
          throw overLimit;
        }
        if (e instanceof UploadError) throw new UploadError(e.status, e.message, (await status(id))?.offset);
        // The client went away midway: what arrived stays, and the client resumes from the new offset.
      } finally {
        busy.delete(id);
      }
      return (await status(id))!;
    },
  };
}

export type UploadStore = ReturnType<typeof createUploadStore>;

const stores = new Map<string, UploadStore>();

/** The process's store for a folder: one per folder, so that "a chunk is being received" holds across requests. */
export function uploadStoreFor(config: { uploadsDir: string; onnxUploadMaxBytes: number }): UploadStore {
  const key = `${config.uploadsDir}\0${config.onnxUploadMaxBytes}`;
  let store = stores.get(key);
  if (!store) stores.set(key, (store = createUploadStore(config.uploadsDir, config.onnxUploadMaxBytes)));
  return store;
}
