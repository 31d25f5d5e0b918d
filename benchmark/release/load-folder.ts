import { createReadStream } from 'node:fs';
import { lstat, open, readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { ZodIssue } from 'zod';
import type { ImageMediaType, Item } from '../item-schema';
import { computeContentHash, sha256Hex, hashFile, type HashedFile } from './content-hash';
import { checkImageBytes } from './image-check';
import { ITEMS_FILE, checkItemLine } from './item-checks';
import { releaseManifestSchema, type ReleaseManifest } from './manifest-schema';
import { isInside } from './safe-path';
import { ReleaseValidationError, type ReleaseProblem } from './validation-error';

export const MANIFEST_FILE = 'manifest.json';

export interface LoadedImage {
  /** Release-relative path as written in items.jsonl. */
  file: string;
  absolutePath: string;
  sha256: string;
  size: number;
  mediaType: ImageMediaType;
}

/** A release that passed every check; nothing has been written anywhere yet. */
export interface LoadedRelease {
  /** The folder the release was read from (a temporary folder for archives). */
  dir: string;
  manifest: ReleaseManifest;
  /** Equal to manifest.contentHash (checked). */
  contentHash: string;
  /** Items in file order, level labels canonicalised. */
  items: Item[];
  /** Every referenced image by its release-relative path. */
  images: Map<string, LoadedImage>;
  counts: { dev: number; test: number; mcq: number; report: number };
  /** Removes temporary files (archives); a no-op for folders. Call after importing. */
  dispose(): Promise<void>;
}

export interface ReleaseLimits {
  /** Stop collecting after this many problems (the error says there were more). */
  maxProblems: number;
  maxImageBytes: number;
  maxManifestBytes: number;
}

export const DEFAULT_RELEASE_LIMITS: ReleaseLimits = {
  maxProblems: 200,
  maxImageBytes: 32 * 1024 * 1024,
  maxManifestBytes: 1024 * 1024,
};

class ProblemList {
  readonly problems: ReleaseProblem[] = [];
  truncated = false;
  constructor(private readonly max: number) {}
  add(...problems: ReleaseProblem[]): void {
    for (const p of problems) {
      if (this.problems.length >= this.max) this.truncated = true;
      else this.problems.push(p);
    }
  }
  get full(): boolean {
    return this.problems.length >= this.max;
  }
  throwIfAny(): void {
    if (this.problems.length > 0) throw new ReleaseValidationError(this.problems, this.truncated);
  }
}

/**
 * Reads a release folder and checks everything (manifest, every item line, every image, split counts,
 * the content hash) before anything is written. Throws ReleaseValidationError listing each problem with
 * its file, line and field.
 */
export async function loadReleaseFolder(dir: string, limits: Partial<ReleaseLimits> = {}): Promise<LoadedRelease> {
  const max = { ...DEFAULT_RELEASE_LIMITS, ...limits };
  const problems = new ProblemList(max.maxProblems);
  const root = await realRoot(dir);

  const manifest = await readManifest(root, max, problems);
  const itemsFile = await regularFile(root, ITEMS_FILE, problems);
  if (!itemsFile) {
    problems.throwIfAny();
  }
  const { items, imageUses } = await readItems(root, problems);
  const images = await checkImages(root, imageUses, max, problems);

  const counts = { dev: 0, test: 0, mcq: 0, report: 0 };
  for (const item of items) {
    counts[item.split]++;
    counts[item.task]++;
  }
  if (items.length === 0 && !problems.full) problems.add({ file: ITEMS_FILE, message: 'the release has no items' });

  let contentHash = '';
  if (manifest && problems.problems.length === 0) {
    for (const split of ['dev', 'test'] as const) {
      if (manifest.splits[split].items !== counts[split]) {
        problems.add({
          file: MANIFEST_FILE,
          field: `splits.${split}.items`,
          message: `says ${manifest.splits[split].items} items but items.jsonl has ${counts[split]} ${split} items`,
        });
      }
    }
    const itemsHash = await hashFile(path.join(root, ITEMS_FILE));
    const hashed: HashedFile[] = [{ file: ITEMS_FILE, ...itemsHash }, ...[...images.values()].map(({ file, size, sha256 }) => ({ file, size, sha256 }))];
    contentHash = computeContentHash(hashed);
    if (contentHash !== manifest.contentHash) {
      problems.add({ file: MANIFEST_FILE, field: 'contentHash', message: `does not match the release content (computed ${contentHash})` });
    }
  }
  problems.throwIfAny();

  return { dir: root, manifest: manifest!, contentHash, items, images, counts, dispose: async () => {} };
}

async function realRoot(dir: string): Promise<string> {
  const stats = await lstat(dir).catch(() => null);
  if (!stats || !stats.isDirectory()) {
    throw new ReleaseValidationError([{ file: dir, message: 'is not a release folder (not a directory)' }]);
  }
  return realpath(dir);
}

/** Checks that a release file exists and is a plain file inside the folder (no link). */
async function regularFile(root: string, file: string, problems: ProblemList, where?: Omit<ReleaseProblem, 'message'>): Promise<string | null> {
  const at = where ?? { file };
  const absolute = path.join(root, ...file.split('/'));
  if (!isInside(root, absolute)) {
    problems.add({ ...at, message: `path "${file}" escapes the release folder` });
    return null;
  }
  const stats = await lstat(absolute).catch(() => null);
  if (!stats) {
    problems.add({ ...at, message: `file "${file}" is missing from the release` });
    return null;
  }
  if (stats.isSymbolicLink()) {
    problems.add({ ...at, message: `"${file}" is a symbolic link; releases must hold plain files` });
    return null;
  }
  if (!stats.isFile()) {
    problems.add({ ...at, message: `"${file}" is not a plain file` });
    return null;
  }
  const real = await realpath(absolute);
  if (!isInside(root, real)) {
    problems.add({ ...at, message: `path "${file}" escapes the release folder through a linked folder` });
    return null;
  }
  return real;
}

async function readManifest(root: string, max: ReleaseLimits, problems: ProblemList): Promise<ReleaseManifest | null> {
  const absolute = await regularFile(root, MANIFEST_FILE, problems);
  if (!absolute) return null;
  const { size } = await lstat(absolute);
  if (size > max.maxManifestBytes) {
    problems.add({ file: MANIFEST_FILE, message: `is ${size} bytes; the limit is ${max.maxManifestBytes}` });
    return null;
  }
  let json: unknown;
  try {
    json = JSON.parse(await readFile(absolute, 'utf8'));
  } catch (error) {
    problems.add({ file: MANIFEST_FILE, message: `invalid JSON: ${(error as Error).message}` });
    return null;
  }
  const parsed = releaseManifestSchema.safeParse(json);
  if (!parsed.success) {
    problems.add(...parsed.error.issues.map((issue: ZodIssue) => manifestProblem(issue)));
    return null;
  }
  return parsed.data;
}

function manifestProblem(issue: ZodIssue): ReleaseProblem {
  const field = issue.path.join('.');
  const message =
    issue.code === 'invalid_type' && issue.received === 'undefined'
      ? `missing required field (expected ${issue.expected})`
      : issue.code === 'unrecognized_keys'
        ? `unknown field(s): ${issue.keys.join(', ')}`
        : issue.message;
  return { file: MANIFEST_FILE, ...(field ? { field } : {}), message };
}

interface ImageUse {
  line: number;
  field: string;
}

async function readItems(root: string, problems: ProblemList): Promise<{ items: Item[]; imageUses: Map<string, ImageUse> }> {
  const items: Item[] = [];
  const imageUses = new Map<string, ImageUse>();
  const firstLineOfId = new Map<string, number>();
  const lines = createInterface({ input: createReadStream(path.join(root, ITEMS_FILE), 'utf8'), crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line++;
    if (problems.full) {
      problems.truncated = true;
      break;
    }
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      problems.add({ file: ITEMS_FILE, line, message: `invalid JSON: ${(error as Error).message}` });
      continue;
    }
    const checked = checkItemLine(value, line);
    if (!checked.item) {
      problems.add(...checked.problems);
      continue;
    }
    const item = checked.item;
    const earlier = firstLineOfId.get(item.id);
    if (earlier !== undefined) {
      problems.add({ file: ITEMS_FILE, line, field: 'id', message: `duplicate id "${item.id}" (first used on line ${earlier})` });
      continue;
    }
    firstLineOfId.set(item.id, line);
    item.images.forEach((image, i) => {
      if (!imageUses.has(image.file)) imageUses.set(image.file, { line, field: `images.${i}.file` });
    });
    items.push(item);
  }
  return { items, imageUses };
}

async function checkImages(root: string, uses: Map<string, ImageUse>, max: ReleaseLimits, problems: ProblemList): Promise<Map<string, LoadedImage>> {
  const images = new Map<string, LoadedImage>();
  const queue = [...uses.entries()];
  const worker = async () => {
    for (let next = queue.shift(); next && !problems.full; next = queue.shift()) {
      const [file, use] = next;
      const where = { file: ITEMS_FILE, line: use.line, field: use.field };
      const absolute = await regularFile(root, file, problems, where);
      if (!absolute) continue;
      const handle = await open(absolute, 'r');
      try {
        const { size } = await handle.stat();
        if (size > max.maxImageBytes) {
          problems.add({ ...where, message: `image "${file}" is ${size} bytes; the limit is ${max.maxImageBytes}` });
          continue;
        }
        const bytes = await handle.readFile();
        const check = checkImageBytes(bytes);
        if (!check.ok) {
          problems.add({ ...where, message: `image "${file}" is ${check.reason}` });
          continue;
        }
        images.set(file, { file, absolutePath: absolute, sha256: sha256Hex(bytes), size, mediaType: check.mediaType });
      } finally {
        await handle.close();
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return images;
}
