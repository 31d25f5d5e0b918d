/**
 * Where the local CLI gets its dev items: a release the user names (folder or archive, e.g. the
 * platform's public dev download), or SpineBench-Synth generated once into a cache folder. Only dev
 * items ever leave this module.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ImageRef, Item } from '../../benchmark/item-schema';
import { loadRelease, MANIFEST_FILE, type LoadedRelease } from '../../benchmark/release';
import { generateSynthRelease } from '../../benchmark/synth';
import type { PromptImageLoader } from '../adapters/types';

/** The platform's demo release is generated with this seed (server/demo-release.ts), so the dev items match. */
export const SYNTH_SEED = 1;
const SYNTH_FOLDER = `spinebench-synth-seed${SYNTH_SEED}-dev`;
/** Where versions before the dev-only cache kept the whole release, hidden split included: removed on sight. */
const LEGACY_SYNTH_FOLDER = `spinebench-synth-seed${SYNTH_SEED}`;

export type ImageLoader = PromptImageLoader;

export interface DevSplit {
  release: { name: string; version: string; contentHash: string; dir: string };
  /** Dev items in release order, cut to the limit. */
  items: Item[];
  /** Dev items in the release before the limit. */
  devItemCount: number;
  loadImage: ImageLoader;
  dispose(): Promise<void>;
}

export interface DevSplitOptions {
  /** Folder or archive; null = cached SpineBench-Synth. */
  release: string | null;
  limit: number | null;
  cacheDir: string;
  /** One-line status messages (e.g. "generating ..."). */
  onStatus?: (message: string) => void;
}

/** `$SPINEBENCH_CACHE_DIR`, else `$XDG_CACHE_HOME/spinebench`, else `~/.cache/spinebench`. */
export function defaultCacheDir(env: Record<string, string | undefined> = process.env, home = os.homedir()): string {
  if (env.SPINEBENCH_CACHE_DIR) return path.resolve(env.SPINEBENCH_CACHE_DIR);
  return path.join(env.XDG_CACHE_HOME || path.join(home, '.cache'), 'spinebench');
}

/** The dev items of a release, in order, the first `limit` of them. Pure. */
export function selectDevItems(items: readonly Item[], limit: number | null): Item[] {
  const dev = items.filter((i) => i.split === 'dev');
  return limit === null ? dev : dev.slice(0, limit);
}

/**
 * Makes sure SpineBench-Synth sits in `cacheDir` and returns its folder. Generated into a temporary
 * sibling and renamed into place, so an interrupted generation never leaves a half-written release.
 */
export async function ensureSynthRelease(cacheDir: string, onStatus?: (message: string) => void): Promise<string> {
  const dir = path.join(cacheDir, SYNTH_FOLDER);
  await rm(path.join(cacheDir, LEGACY_SYNTH_FOLDER), { recursive: true, force: true });
  if (existsSync(path.join(dir, MANIFEST_FILE))) return dir;
  await mkdir(cacheDir, { recursive: true });
  onStatus?.(`Generating the SpineBench-Synth release (seed ${SYNTH_SEED}) once into ${dir} ...`);
  const temp = await mkdtemp(path.join(cacheDir, `.${SYNTH_FOLDER}-`));
  try {
    // The dev split only: the CLI never needs hidden items, so it never writes any (docs/security.md).
    await generateSynthRelease({ seed: SYNTH_SEED, outDir: temp, overwrite: true, devOnly: true });
    await rm(dir, { recursive: true, force: true });
    await rename(temp, dir);
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    // Another process may have finished the same generation first.
    if (existsSync(path.join(dir, MANIFEST_FILE))) return dir;
    throw error;
  }
  return dir;
}

async function loadSynth(cacheDir: string, onStatus?: (message: string) => void): Promise<LoadedRelease> {
  const dir = await ensureSynthRelease(cacheDir, onStatus);
  try {
    return await loadRelease(dir);
  } catch (error) {
    // A damaged cache (edited or half-deleted files) is regenerated once rather than reported.
    onStatus?.(`The cached release in ${dir} is damaged (${(error as Error).message.split('\n')[0]}); regenerating it.`);
    await rm(dir, { recursive: true, force: true });
    return loadRelease(await ensureSynthRelease(cacheDir, onStatus));
  }
}

export async function loadDevSplit(opts: DevSplitOptions): Promise<DevSplit> {
  const loaded = opts.release === null ? await loadSynth(opts.cacheDir, opts.onStatus) : await loadRelease(opts.release);
  const devItemCount = loaded.items.filter((i) => i.split === 'dev').length;
  if (devItemCount === 0) {
    await loaded.dispose();
    throw new Error(`The release ${opts.release ?? loaded.dir} has no dev items; the local CLI runs the public dev split only.`);
  }
  const items = selectDevItems(loaded.items, opts.limit);
  const images = loaded.images;
  return {
    release: { name: loaded.manifest.name, version: loaded.manifest.version, contentHash: loaded.contentHash, dir: loaded.dir },
    items,
    devItemCount,
    async loadImage(ref) {
      const image = images.get(ref.file);
      if (!image) throw new Error(`image ${ref.file} is not part of the release`);
      return { data: await readFile(image.absolutePath), mimeType: image.mediaType };
    },
    dispose: () => loaded.dispose(),
  };
}
