/**
 * The one safe extraction of uploaded archives (tar, tar.gz or zip, recognised by their first bytes), for
 * release archives (benchmark/release/archive.ts) and ONNX bundles (evaluator/onnx/accept-bundle.ts),
 * streamed to disk. Refuses path escapes, links, devices and other special files, encrypted and duplicate
 * entries (tar as zip), too many files, files or totals too large, decompression bombs (ratio) and truncated
 * or corrupt archives; every bad entry name or type is reported, not only the first. Extracts into a
 * temporary sibling folder and renames it into place only when everything passed: on refusal nothing is
 * left on disk.
 */
import { createReadStream, createWriteStream, mkdirSync, openSync } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { Parser, type ReadEntry } from 'tar';
import yauzl from 'yauzl';
import { ArchiveRefusedError, detectArchiveKind, isArchiveRootEntry, isEntryRefusal, safeEntryPath, type ArchiveKind } from './entry-paths';

export { ArchiveRefusedError, type ArchiveKind } from './entry-paths';

export interface ExtractLimits {
  /** Size of the archive file itself. */
  maxArchiveBytes: number;
  /** Sum of the extracted files. */
  maxTotalBytes: number;
  /** One extracted file. */
  maxFileBytes: number;
  /** Files and folders. */
  maxEntries: number;
  /** Extracted bytes per archive byte; model weights barely compress, so a high ratio means a bomb. */
  maxCompressionRatio: number;
}

const GiB = 1024 ** 3;

/** Defaults sized for a 7B model in fp16 (≈15 GB) with room to spare; operators may change them. */
export const DEFAULT_EXTRACT_LIMITS: ExtractLimits = {
  maxArchiveBytes: 64 * GiB,
  maxTotalBytes: 64 * GiB,
  maxFileBytes: 64 * GiB,
  maxEntries: 10_000,
  maxCompressionRatio: 100,
};

export interface ExtractResult {
  kind: ArchiveKind;
  files: number;
  totalBytes: number;
  /** Where the files now lie (destDir). */
  root: string;
}

/** Running totals shared by the tar and zip paths; every written byte passes through `count`. */
class Budget {
  entries = 0;
  files = 0;
  bytes = 0;
  /** Bad entries seen so far (skipped); reported together at the end. */
  refused: ArchiveRefusedError[] = [];
  constructor(
    private readonly limits: ExtractLimits,
    private readonly archiveBytes: number,
  ) {}

  entry(name: string): void {
    if (++this.entries > this.limits.maxEntries) throw new ArchiveRefusedError('too_many_files', `the archive has more than ${this.limits.maxEntries} entries`, name);
  }

  /** Refuses up front when an entry declares more than the budget allows. */
  declare(name: string, size: number): void {
    if (size > this.limits.maxFileBytes) throw new ArchiveRefusedError('too_large', `the file would exceed ${this.limits.maxFileBytes} bytes`, name);
    if (this.bytes + size > this.limits.maxTotalBytes) throw new ArchiveRefusedError('too_large', `the extracted files would exceed ${this.limits.maxTotalBytes} bytes`, name);
  }

  count(name: string, n: number): void {
    this.bytes += n;
    if (this.bytes > this.limits.maxTotalBytes) throw new ArchiveRefusedError('too_large', `the extracted files exceed ${this.limits.maxTotalBytes} bytes`, name);
    if (this.bytes > this.limits.maxCompressionRatio * Math.max(this.archiveBytes, 1) && this.bytes > 1024 * 1024) {
      throw new ArchiveRefusedError('decompression_bomb', `the archive expands more than ${this.limits.maxCompressionRatio} times its size`, name);
    }
  }

  counter(name: string): Transform {
    let fileBytes = 0;
    return new Transform({
      transform: (chunk: Buffer, _enc, done) => {
        try {
          fileBytes += chunk.length;
          if (fileBytes > this.limits.maxFileBytes) throw new ArchiveRefusedError('too_large', `the file exceeds ${this.limits.maxFileBytes} bytes`, name);
          this.count(name, chunk.length);
          done(null, chunk);
        } catch (e) {
          done(e as Error);
        }
      },
    });
  }
}

/** Creates the file exclusively (a second entry with the same path is refused) and its folders. */
function createFileStream(root: string, rel: string): NodeJS.WritableStream {
  const target = path.join(root, rel);
  if (!target.startsWith(root + path.sep)) throw new ArchiveRefusedError('path_escape', 'entry path leaves the archive folder', rel);
  mkdirSync(path.dirname(target), { recursive: true });
  try {
    return createWriteStream('', { fd: openSync(target, 'wx', 0o644) });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new ArchiveRefusedError('duplicate_entry', 'the archive holds this path twice', rel);
    throw e;
  }
}

function makeDir(root: string, rel: string): void {
  try {
    mkdirSync(path.join(root, rel), { recursive: true });
  } catch {
    throw new ArchiveRefusedError('duplicate_entry', 'a folder entry clashes with a file of the same path', rel);
  }
}

const corrupt = (kind: string, e: unknown) =>
  e instanceof ArchiveRefusedError ? e : new ArchiveRefusedError('corrupt', `the ${kind} archive is truncated or corrupt: ${(e as Error).message}`);

async function extractTar(archive: string, root: string, gzip: boolean, budget: Budget): Promise<void> {
  const parser = new Parser({ strict: true, maxDecompressionRatio: Number.MAX_SAFE_INTEGER });
  const writes: Promise<void>[] = [];
  // Stops in-flight file writes when the archive fails mid-entry (their entry would never end).
  const stopWrites = new AbortController();
  let failure: unknown = null;
  const fail = (e: unknown) => {
    if (failure) return;
    failure = e;
    stopWrites.abort();
    parser.abort(e instanceof Error ? e : new Error(String(e)));
  };
  parser.on('entry', (entry: ReadEntry) => {
    try {
      if (failure) return entry.resume();
      budget.entry(entry.path);
      if (entry.type === 'Directory' && isArchiveRootEntry(entry.path)) return entry.resume();
      const rel = safeEntryPath(entry.path);
      switch (entry.type) {
        case 'Directory':
          makeDir(root, rel);
          entry.resume();
          return;
        case 'File':
        case 'OldFile':
        case 'ContiguousFile': {
          budget.declare(rel, entry.size ?? 0);
          budget.files++;
          const out = createFileStream(root, rel);
          writes.push(pipeline(entry as unknown as Readable, budget.counter(rel), out, { signal: stopWrites.signal }).catch(fail));
          return;
        }
        case 'SymbolicLink':
        case 'Link':
          throw new ArchiveRefusedError('link', 'entry is a link; links are not allowed (plain files and folders only)', rel);
        default:
          throw new ArchiveRefusedError('special_file', `entries of type ${entry.type} are not allowed`, rel);
      }
    } catch (e) {
      entry.resume();
      if (isEntryRefusal(e)) budget.refused.push(e);
      else fail(e);
    }
  });
  const parsed = new Promise<void>((resolve, reject) => {
    parser.on('error', (e: Error) => reject(failure ?? e));
    parser.on('abort', () => reject(failure));
    parser.on('end', () => resolve());
  });
  const source = createReadStream(archive);
  const stages: NodeJS.ReadableStream = gzip ? source.pipe(createGunzip()).on('error', fail) : source;
  source.on('error', fail);
  stages.pipe(parser as unknown as NodeJS.WritableStream);
  try {
    await parsed;
    await Promise.all(writes);
  } catch (e) {
    source.destroy();
    await Promise.allSettled(writes);
    throw corrupt('tar', e);
  }
  if (failure) throw corrupt('tar', failure);
}

async function extractZip(archive: string, root: string, ratio: number, budget: Budget): Promise<void> {
  let zip: yauzl.ZipFile;
  try {
    zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
      // Names are decoded and checked here (safeEntryPath), not by yauzl, which stops at the first bad name.
      yauzl.open(archive, { lazyEntries: true, autoClose: true, validateEntrySizes: true, decodeStrings: false }, (e, z) => (e ? reject(e) : resolve(z!))),
    );
  } catch (e) {
    throw corrupt('zip', e);
  }
  const nextEntry = () =>
    new Promise<yauzl.Entry | null>((resolve, reject) => {
      const cleanup = () => zip.off('entry', onEntry).off('end', onEnd).off('error', onError);
      const onEntry = (entry: yauzl.Entry) => (cleanup(), resolve(entry));
      const onEnd = () => (cleanup(), resolve(null));
      const onError = (e: Error) => (cleanup(), reject(e));
      zip.on('entry', onEntry).on('end', onEnd).on('error', onError);
      zip.readEntry();
    });
  try {
    for (let entry = await nextEntry(); entry; entry = await nextEntry()) {
      const name = zipEntryName(entry);
      budget.entry(name);
      if (name.endsWith('/') && isArchiveRootEntry(name)) continue;
      try {
        await extractZipEntry(zip, entry, name, root, ratio, budget);
      } catch (e) {
        if (!isEntryRefusal(e)) throw e;
        budget.refused.push(e);
      }
    }
  } catch (e) {
    throw corrupt('zip', e);
  } finally {
    zip.close();
  }
}

/** The entry's name as stored (strings are not decoded by yauzl here, see extractZip). */
function zipEntryName(entry: yauzl.Entry): string {
  const raw = entry.fileName as unknown as Buffer | string;
  return typeof raw === 'string' ? raw : raw.toString('utf8');
}

async function extractZipEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, name: string, root: string, ratio: number, budget: Budget): Promise<void> {
  const rel = safeEntryPath(name);
  if (entry.isEncrypted()) throw new ArchiveRefusedError('encrypted', 'entry is encrypted', rel);
  const unixType = (entry.externalFileAttributes >>> 16) & 0o170000;
  if (unixType === 0o120000) throw new ArchiveRefusedError('link', 'entry is a link; links are not allowed (plain files and folders only)', rel);
  if (name.endsWith('/') || unixType === 0o040000) return makeDir(root, rel);
  if (unixType !== 0 && unixType !== 0o100000) throw new ArchiveRefusedError('special_file', 'only regular files and folders are allowed', rel);
  if (entry.uncompressedSize > ratio * Math.max(entry.compressedSize, 1) && entry.uncompressedSize > 1024 * 1024) {
    throw new ArchiveRefusedError('decompression_bomb', `the entry expands more than ${ratio} times its compressed size`, rel);
  }
  budget.declare(rel, entry.uncompressedSize);
  budget.files++;
  const input = await new Promise<Readable>((resolve, reject) => zip.openReadStream(entry, (e, s) => (e ? reject(e) : resolve(s!))));
  await pipeline(input, budget.counter(rel), createFileStream(root, rel));
}

/** An archive packed as one top-level folder is unwrapped, so its manifest lies at the root. */
async function unwrapSingleFolder(dir: string): Promise<string> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries.length === 1 && entries[0].isDirectory() ? path.join(dir, entries[0].name) : dir;
}

export async function extractArchive(archivePath: string, destDir: string, limits: ExtractLimits): Promise<ExtractResult> {
  const archiveBytes = (await stat(archivePath)).size;
  if (archiveBytes > limits.maxArchiveBytes) throw new ArchiveRefusedError('archive_too_large', `the archive is larger than ${limits.maxArchiveBytes} bytes`);
  if (await stat(destDir).then(() => true, () => false)) throw new ArchiveRefusedError('destination_exists', 'the destination folder already exists');
  const head = Buffer.alloc(512);
  const handle = await open(archivePath, 'r');
  const { bytesRead } = await handle.read(head, 0, 512, 0).finally(() => handle.close());
  const kind = detectArchiveKind(head.subarray(0, bytesRead));
  if (!kind) throw new ArchiveRefusedError('unsupported_format', 'the upload is not a tar, tar.gz or zip archive');

  const parent = path.dirname(path.resolve(destDir));
  await mkdir(parent, { recursive: true });
  const temp = path.join(parent, `.extract-${path.basename(destDir)}-${randomBytes(6).toString('hex')}`);
  await mkdir(temp);
  const budget = new Budget(limits, archiveBytes);
  try {
    if (kind === 'zip') await extractZip(archivePath, temp, limits.maxCompressionRatio, budget);
    else await extractTar(archivePath, temp, kind === 'tar.gz', budget);
    const [first, ...more] = budget.refused;
    if (first) throw Object.assign(first, { more });
    await rename(await unwrapSingleFolder(temp), destDir);
  } catch (e) {
    await rm(temp, { recursive: true, force: true });
    throw e instanceof ArchiveRefusedError ? e : corrupt(kind, e);
  }
  await rm(temp, { recursive: true, force: true }); // only left over when a single folder was unwrapped
  return { kind, files: budget.files, totalBytes: budget.bytes, root: destDir };
}
