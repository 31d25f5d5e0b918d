import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadReleaseFolder } from '../../benchmark/release';
import { defaultCacheDir, loadDevSplit, SYNTH_SEED } from '../../evaluator/cli/dev-split-source';
import { DEMO_RELEASE_DIR } from '../support/demo-release';

let cacheDir: string;
beforeAll(async () => {
  cacheDir = await mkdtemp(path.join(os.tmpdir(), 'cli-cache-'));
});
afterAll(async () => rm(cacheDir, { recursive: true, force: true }));

describe('loadDevSplit without --release', () => {
  it('generates SpineBench-Synth once into the cache, gives only dev items, and reuses it', async () => {
    // An older version's cache of the whole release, hidden split included, is removed on sight.
    await mkdir(path.join(cacheDir, `spinebench-synth-seed${SYNTH_SEED}`, 'images'), { recursive: true });
    const messages: string[] = [];
    const first = await loadDevSplit({ release: null, limit: null, cacheDir, onStatus: (m) => messages.push(m) });
    await first.dispose();
    expect(messages).toEqual([expect.stringMatching(/^Generating the SpineBench-Synth release \(seed 1\) once into /)]);
    expect(first.release).toMatchObject({ name: 'SpineBench-Synth', version: `1.0.0-seed${SYNTH_SEED}` });
    expect(first.items.length).toBe(60);
    expect(first.devItemCount).toBe(60);
    expect(first.items.every((i) => i.split === 'dev')).toBe(true);
    // The same dev items as the platform's demo release (same seed; its hidden split is scaled down in tests).
    const demo = await loadReleaseFolder(DEMO_RELEASE_DIR);
    expect(first.items).toEqual(demo.items.filter((i) => i.split === 'dev'));
    // No temporary folder is left beside the release, and what is on disk is the dev split only.
    expect(await readdir(cacheDir)).toEqual([`spinebench-synth-seed${SYNTH_SEED}-dev`]);
    const onDisk = (await readFile(path.join(cacheDir, `spinebench-synth-seed${SYNTH_SEED}-dev`, 'items.jsonl'), 'utf8')).trim().split('\n');
    expect(onDisk.map((l) => JSON.parse(l).split)).toEqual(onDisk.map(() => 'dev'));

    const image = await first.loadImage(first.items.find((i) => i.images.length > 0)!.images[0]);
    expect(image.mimeType).toBe('image/png');
    expect(Buffer.from(image.data.subarray(1, 4)).toString()).toBe('PNG');

    const again = await loadDevSplit({ release: null, limit: 5, cacheDir, onStatus: (m) => messages.push(m) });
    await again.dispose();
    expect(messages).toHaveLength(1);
    expect(again.release.contentHash).toBe(first.release.contentHash);
    expect(again.items.map((i) => i.id)).toEqual(first.items.slice(0, 5).map((i) => i.id));
  });

  it('regenerates a damaged cached release', async () => {
    const dir = path.join(cacheDir, `spinebench-synth-seed${SYNTH_SEED}-dev`);
    const images = await readdir(path.join(dir, 'images'));
    await rm(path.join(dir, 'images', images[0]));
    const messages: string[] = [];
    const split = await loadDevSplit({ release: null, limit: null, cacheDir, onStatus: (m) => messages.push(m) });
    await split.dispose();
    expect(messages[0]).toMatch(/is damaged .*; regenerating it/);
    expect(split.items.length).toBe(60);
  });

  it('puts the cache under SPINEBENCH_CACHE_DIR, XDG_CACHE_HOME or ~/.cache', () => {
    expect(defaultCacheDir({ SPINEBENCH_CACHE_DIR: '/x/y' }, '/home/u')).toBe('/x/y');
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/c' }, '/home/u')).toBe('/c/spinebench');
    expect(defaultCacheDir({}, '/home/u')).toBe('/home/u/.cache/spinebench');
  });
});
