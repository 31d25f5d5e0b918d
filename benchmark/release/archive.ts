import { createWriteStream } from 'node:fs';
import { mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import * as tar from 'tar';
import yauzl from 'yauzl';
import { isInside, unsafeRelativePathReason } from './safe-path';
import { ReleaseValidationError, type ReleaseProblem } from './validation-error';

export interface ArchiveLimits {
  maxEntries: number;
  /** Largest single file, uncompressed. */
  maxFileBytes: number;
  /** All files together, uncompressed (guards against decompression bombs). */
  maxTotalBytes: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxEntries: 200_000,
  maxFileBytes: 1024 * 1024 * 1024,
  maxTotalBytes: 8 * 1024 * 1024 * 1024,
};

export type ArchiveKind = 'tar' | 'tar.gz' | 'zip';

export function archiveKind(file: string): ArchiveKind | null {
  const lower = file.toLowerCase();
  if (lower.endsWith('.tar.gz') || lower.endsWith('.tgz')) return 'tar.gz';
  if (lower.endsWith('.tar')) return 'tar';
  if (lower.endsWith('.zip')) return 'zip';
  return null;
}

interface PlannedEntry {
  name: string;
  type: 'file' | 'directory';
  size: number;
}

/** Checks one archive entry's name, type and size against the limits; returns its safe relative name. */
function planEntry(
  archiveName: string,
  rawName: string,
  type: 'file' | 'directory' | 'link' | 'other',
  size: number,
  limits: ArchiveLimits,
  totals: { entries: number; bytes: number },
  problems: ReleaseProblem[],
): PlannedEntry | null {
  const where = { file: `${archiveName}:${rawName}` };
  const name = rawName.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
  if (name === '' || name === '.') return null;
  totals.entries++;
  if (totals.entries === limits.maxEntries + 1) problems.push({ file: archiveName, message: `holds more than ${limits.maxEntries} entries` });
  const reason = unsafeRelativePathReason(name);
  if (reason) {
    problems.push({ ...where, message: `entry path ${reason}` });
    return null;
  }
  if (type === 'link') {
    problems.push({ ...where, message: 'entry is a link; releases must hold plain files and folders' });
    return null;
  }
  if (type === 'other') {
    problems.push({ ...where, message: 'entry is neither a plain file nor a folder' });
    return null;
  }
  if (type === 'file') {
    if (size > limits.maxFileBytes) problems.push({ ...where, message: `entry is ${size} bytes uncompressed; the limit is ${limits.maxFileBytes}` });
    totals.bytes += size;
    if (totals.bytes > limits.maxTotalBytes && totals.bytes - size <= limits.maxTotalBytes) {
      problems.push({ file: archiveName, message: `unpacks to more than ${limits.maxTotalBytes} bytes` });
    }
  }
  return { name, type, size };
}

function tarEntryType(type: string): 'file' | 'directory' | 'link' | 'other' {
  if (type === 'File' || type === 'OldFile' || type === 'ContiguousFile') return 'file';
  if (type === 'Directory') return 'directory';
  if (type === 'SymbolicLink' || type === 'Link') return 'link';
  return 'other';
}

async function extractTar(archivePath: string, kind: 'tar' | 'tar.gz', destDir: string, limits: ArchiveLimits): Promise<void> {
  const archiveName = path.basename(archivePath);
  const problems: ReleaseProblem[] = [];
  const totals = { entries: 0, bytes: 0 };
  const allowed = new Set<string>();
  // Pass 1: list and check every entry; nothing is written.
  try {
    await tar.t({
      file: archivePath,
      gzip: kind === 'tar.gz',
      strict: true,
      onReadEntry: (entry) => {
        const planned = planEntry(archiveName, entry.path, tarEntryType(entry.type), entry.size ?? 0, limits, totals, problems);
        if (planned) allowed.add(entry.path);
      },
    });
  } catch (error) {
    problems.push({ file: archiveName, message: `unreadable ${kind} archive (${(error as Error).message})` });
  }
  if (problems.length > 0) throw new ReleaseValidationError(problems);
  // Pass 2: extract only the checked entries, as plain files with default modes.
  await tar.x({
    file: archivePath,
    cwd: destDir,
    gzip: kind === 'tar.gz',
    strict: true,
    preservePaths: false,
    preserveOwner: false,
    noChmod: true,
    filter: (entryPath, entry) => allowed.has(entryPath) && 'type' in entry && tarEntryType(entry.type) !== 'link',
  });
}

function openZip(archivePath: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.open(archivePath, { lazyEntries: true, autoClose: false, validateEntrySizes: true, decodeStrings: false }, (error, zip) =>
      error || !zip ? reject(error ?? new Error('cannot open zip')) : resolve(zip),
    ),
  );
}

/**
 * The entry's name. Strings are decoded here rather than by yauzl, whose own name check stops at the
 * first bad entry; we want to report every bad entry.
 */
function zipEntryName(entry: yauzl.Entry): string {
  const raw = entry.fileName as unknown as Buffer | string;
  return typeof raw === 'string' ? raw : raw.toString('utf8');
}

/** Mode bits of a zip entry made on Unix (0 when unknown). */
function zipEntryType(entry: yauzl.Entry): 'file' | 'directory' | 'link' | 'other' {
  const mode = (entry.externalFileAttributes >>> 16) & 0o170000;
  if (mode === 0o120000) return 'link';
  if (zipEntryName(entry).endsWith('/') || mode === 0o040000) return 'directory';
  if (mode === 0 || mode === 0o100000) return 'file';
  return 'other';
}

async function zipEntries(zip: yauzl.ZipFile, onEntry: (entry: yauzl.Entry) => Promise<void>): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => onEntry(entry).then(() => zip.readEntry(), reject));
    zip.on('end', () => resolve());
    zip.on('error', reject);
    zip.readEntry();
  });
}

function byteLimit(limit: number, name: string): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      callback(seen > limit ? new Error(`${name} unpacks past its declared size`) : null, chunk);
    },
  });
}

async function extractZip(archivePath: string, destDir: string, limits: ArchiveLimits): Promise<void> {
  const archiveName = path.basename(archivePath);
  const problems: ReleaseProblem[] = [];
  const totals = { entries: 0, bytes: 0 };
  const planned = new Map<string, PlannedEntry>();
  // Pass 1: list and check every entry; nothing is written.
  try {
    const zip = await openZip(archivePath);
    try {
      await zipEntries(zip, async (entry) => {
        const name = zipEntryName(entry);
        if (entry.isEncrypted()) problems.push({ file: `${archiveName}:${name}`, message: 'entry is encrypted' });
        const plan = planEntry(archiveName, name, zipEntryType(entry), entry.uncompressedSize, limits, totals, problems);
        if (plan && planned.has(name)) problems.push({ file: `${archiveName}:${name}`, message: 'entry appears twice' });
        else if (plan) planned.set(name, plan);
      });
    } finally {
      zip.close();
    }
  } catch (error) {
    problems.push({ file: archiveName, message: `unreadable zip archive (${(error as Error).message})` });
  }
  if (problems.length > 0) throw new ReleaseValidationError(problems);
  // Pass 2: write the checked entries; sizes are enforced while streaming too.
  const zip = await openZip(archivePath);
  try {
    await zipEntries(zip, async (entry) => {
      const plan = planned.get(zipEntryName(entry));
      if (!plan) return;
      const target = path.join(destDir, ...plan.name.split('/'));
      if (!isInside(destDir, target)) throw new Error(`entry ${plan.name} escapes the folder`);
      if (plan.type === 'directory') {
        await mkdir(target, { recursive: true });
        return;
      }
      await mkdir(path.dirname(target), { recursive: true });
      const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) =>
        zip.openReadStream(entry, (error, s) => (error || !s ? reject(error ?? new Error('no stream')) : resolve(s))),
      );
      await pipeline(stream, byteLimit(plan.size, plan.name), createWriteStream(target, { flags: 'wx' }));
    });
  } finally {
    zip.close();
  }
}

/**
 * Unpacks a release archive (.tar, .tar.gz/.tgz, .zip) into `destDir` (an empty folder) after checking
 * every entry: no absolute or `..` path, no links or devices, entry count and sizes under the limits.
 * Returns the release folder inside it: `destDir`, or its single top-level folder when manifest.json is there.
 */
export async function extractReleaseArchive(archivePath: string, destDir: string, limits: Partial<ArchiveLimits> = {}): Promise<string> {
  const kind = archiveKind(archivePath);
  if (!kind) throw new ReleaseValidationError([{ file: path.basename(archivePath), message: 'is not a .tar, .tar.gz, .tgz or .zip archive' }]);
  const max = { ...DEFAULT_ARCHIVE_LIMITS, ...limits };
  if (kind === 'zip') await extractZip(archivePath, destDir, max);
  else await extractTar(archivePath, kind, destDir, max);
  return releaseRoot(destDir);
}

async function releaseRoot(destDir: string): Promise<string> {
  const entries = await readdir(destDir, { withFileTypes: true });
  if (entries.some((e) => e.name === 'manifest.json')) return destDir;
  const folders = entries.filter((e) => e.isDirectory());
  if (entries.length === 1 && folders.length === 1) {
    const inner = path.join(destDir, folders[0].name);
    if (await stat(path.join(inner, 'manifest.json')).catch(() => null)) return inner;
  }
  return destDir;
}
