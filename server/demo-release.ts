import { createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { generateSynthRelease } from '../benchmark/synth';
import type { Database } from '../db/client';
import { importReleaseFromPath } from '../db/release-import';
import { getRelease, publishRelease } from '../db/queries/releases';
import { log } from '../log/logger';

export interface DemoReleaseSettings {
  dataDir: string;
  imageStoreDir: string;
  /** Test items of the synthetic release (paper proportions); unset → the paper's 574. */
  scale?: number;
  /** A SpineBench-Synth folder generated beforehand (tests share one); unset → generated under dataDir. */
  sourceDir?: string;
  /** Seed of the demo's hidden split (secret: demoHiddenSeed); unset → the public seed, as the CLI's dev split. */
  hiddenSeed?: number;
}

/** The public seed: the demo's dev split, which the local CLI generates too (evaluator/cli/dev-split-source.ts). */
export const DEMO_SEED = 1;

/**
 * The seed of this installation's demo hidden split, derived from its secret key: the generator is public and
 * deterministic, so a public seed would let anyone recompute the demo board's answers (docs/security.md).
 */
export function demoHiddenSeed(secretKey: Buffer): number {
  return createHmac('sha256', secretKey).update('spinebench-demo-hidden-split').digest().readUInt32BE(0);
}

/**
 * Makes sure the SpineBench-Synth demo release is imported and published. Its dev split is the same on every
 * machine (the public seed); its hidden split comes from `hiddenSeed`.
 */
export async function ensureDemoRelease(db: Database, settings: DemoReleaseSettings): Promise<number> {
  const dir =
    settings.sourceDir ??
    path.join(settings.dataDir, 'releases', `spinebench-synth-seed${DEMO_SEED}${settings.scale ? `-scale${settings.scale}` : ''}${settings.hiddenSeed === undefined ? '' : '-secret'}`);
  if (settings.sourceDir && !existsSync(path.join(dir, 'manifest.json'))) {
    // A folder handed in (DEMO_RELEASE_DIR) is someone else's: never generated into, or half of it could be read.
    throw new Error(`DEMO_RELEASE_DIR ${dir} holds no release (manifest.json is missing).`);
  }
  if (!existsSync(path.join(dir, 'manifest.json'))) {
    log.info({ dir }, 'generating the SpineBench-Synth demo release');
    await generateSynthRelease({ seed: DEMO_SEED, hiddenSeed: settings.hiddenSeed, outDir: dir, scale: settings.scale, overwrite: true });
  }
  const { releaseId } = await importReleaseFromPath(db, dir, { imageStoreDir: settings.imageStoreDir });
  const release = await getRelease(db, releaseId);
  if (release?.status === 'draft') await publishRelease(db, releaseId);
  return releaseId;
}
