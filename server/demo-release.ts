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
}

export const DEMO_SEED = 1;

/**
 * Makes sure the SpineBench-Synth demo release is imported and published. Generating it is
 * deterministic, so a fresh machine always gets the same release (same content hash).
 */
export async function ensureDemoRelease(db: Database, settings: DemoReleaseSettings): Promise<number> {
  const dir =
    settings.sourceDir ??
    path.join(settings.dataDir, 'releases', `spinebench-synth-seed${DEMO_SEED}${settings.scale ? `-scale${settings.scale}` : ''}`);
  if (!existsSync(path.join(dir, 'manifest.json'))) {
    log.info({ dir }, 'generating the SpineBench-Synth demo release');
    await generateSynthRelease({ seed: DEMO_SEED, outDir: dir, scale: settings.scale, overwrite: true });
  }
  const { releaseId } = await importReleaseFromPath(db, dir, { imageStoreDir: settings.imageStoreDir });
  const release = await getRelease(db, releaseId);
  if (release?.status === 'draft') await publishRelease(db, releaseId);
  return releaseId;
}
