import { loadRelease } from '../benchmark/release/load-release';
import type { Database } from './client';
import { importRelease } from './releases';

/**
 * Loads, validates and imports a release folder or archive. Validation completes before anything is
 * written (image store or database); temporary files of archives are removed afterwards.
 */
export async function importReleaseFromPath(
  db: Database,
  source: string,
  opts: { imageStoreDir: string; tempDir?: string },
): Promise<{ releaseId: number; created: boolean; name: string; version: string; contentHash: string; counts: { dev: number; test: number } }> {
  const loaded = await loadRelease(source, { tempDir: opts.tempDir });
  try {
    const result = await importRelease(db, loaded, { imageStoreDir: opts.imageStoreDir });
    return {
      ...result,
      name: loaded.manifest.name,
      version: loaded.manifest.version,
      contentHash: loaded.contentHash,
      counts: { dev: loaded.counts.dev, test: loaded.counts.test },
    };
  } finally {
    await loaded.dispose();
  }
}
