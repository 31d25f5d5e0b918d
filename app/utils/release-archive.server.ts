import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createReadableStreamFromReadable } from '@remix-run/node';
import * as tar from 'tar';
import type { Database } from '../../db/client';
import type { ReleaseRow } from '../../db/queries/releases';
import { exportRelease } from '../../db/release-export';

export interface ArchiveDirs {
  imageStoreDir: string;
  /** Scratch space for exports and the cache of public downloads (config.releaseWorkDir). */
  workDir: string;
}

/** Same bytes for the same release: no owner, mode or time from the machine that packed it. */
const packOptions = (cwd: string) => ({ gzip: true, cwd, portable: true, mtime: new Date(0) }) as const;

function archiveFolderName(release: ReleaseRow, includeHidden: boolean): string {
  return `${release.name}-${release.version}${includeHidden ? '-full' : '-dev'}`;
}

export function archiveFileName(release: ReleaseRow, includeHidden: boolean): string {
  return `${archiveFolderName(release, includeHidden)}.tar.gz`;
}

const building = new Map<string, Promise<string>>();

/**
 * The public download of a release: its dev split exported (exportRelease, includeHidden false) and
 * packed as .tar.gz. A non-draft release never changes, so the archive is built once per content hash
 * and kept in the work folder; concurrent first downloads share one build.
 */
export function devSplitArchive(db: Database, release: ReleaseRow, dirs: ArchiveDirs): Promise<string> {
  const hash = release.contentHash.replace(/^sha256:/, '').slice(0, 24);
  const file = path.join(dirs.workDir, 'downloads', `${release.id}-${hash}-dev.tar.gz`);
  let pending = building.get(file);
  if (!pending) {
    pending = buildOnce(file, async (partial) => {
      const temp = await mkdtemp(path.join(dirs.workDir, 'export-'));
      try {
        const folder = archiveFolderName(release, false);
        await exportRelease(db, release.id, path.join(temp, folder), { includeHidden: false, imageStoreDir: dirs.imageStoreDir });
        await pipeline(tar.c(packOptions(temp), [folder]), createWriteStream(partial, { flags: 'wx' }));
      } finally {
        await rm(temp, { recursive: true, force: true });
      }
    }).finally(() => building.delete(file));
    building.set(file, pending);
  }
  return pending;
}

async function buildOnce(file: string, build: (partial: string) => Promise<void>): Promise<string> {
  if (await stat(file).then((s) => s.isFile(), () => false)) return file;
  await mkdir(path.dirname(file), { recursive: true });
  const partial = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await build(partial);
    await rename(partial, file);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  return file;
}

/** Streams a file as a web response body. */
export function fileBody(file: string): ReadableStream<Uint8Array> {
  return createReadableStreamFromReadable(createReadStream(file));
}

/**
 * The whole release, hidden split included, for maintainers only: exported into a scratch folder and
 * packed while it streams; the scratch folder goes when the stream ends, fails or is cancelled.
 * Never cached, so no second copy of the hidden split lingers on disk.
 */
export async function fullReleaseArchiveStream(db: Database, release: ReleaseRow, dirs: ArchiveDirs): Promise<ReadableStream<Uint8Array>> {
  await mkdir(dirs.workDir, { recursive: true });
  const temp = await mkdtemp(path.join(dirs.workDir, 'export-'));
  const cleanUp = () => rm(temp, { recursive: true, force: true }).catch(() => {});
  try {
    const folder = archiveFolderName(release, true);
    await exportRelease(db, release.id, path.join(temp, folder), { includeHidden: true, imageStoreDir: dirs.imageStoreDir });
    const packed = Readable.from(tar.c(packOptions(temp), [folder]), { objectMode: false });
    packed.once('close', cleanUp);
    return createReadableStreamFromReadable(packed);
  } catch (error) {
    await cleanUp();
    throw error;
  }
}
