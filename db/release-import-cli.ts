/**
 * npm run release:import -- <folder|archive> [--publish]
 *
 * Validates and imports a release. Uses DATABASE_URL when set, otherwise embedded PGlite in
 * DATA_DIR (default `.data`). Images go to IMAGE_STORE_DIR (default `<DATA_DIR>/images`).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ReleaseValidationError } from '../benchmark/release/validation-error';
import { openDatabase } from './client';
import { importReleaseFromPath } from './release-import';
import { ReleaseLifecycleError, publishRelease } from './releases';

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { publish: { type: 'boolean', default: false } } });
  if (positionals.length !== 1) {
    console.error('usage: npm run release:import -- <folder|archive> [--publish]');
    return 2;
  }
  const dataDir = process.env.DATA_DIR ?? '.data';
  const imageStoreDir = process.env.IMAGE_STORE_DIR ?? path.join(dataDir, 'images');
  const handle = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir });
  try {
    const started = Date.now();
    const result = await importReleaseFromPath(handle.db, positionals[0], { imageStoreDir });
    const what = `${result.name} ${result.version} (${result.contentHash})`;
    console.log(
      result.created
        ? `Imported ${what} as release #${result.releaseId}: ${result.counts.dev} dev + ${result.counts.test} test items in ${((Date.now() - started) / 1000).toFixed(1)} s`
        : `Already imported: ${what} is release #${result.releaseId}; nothing written`,
    );
    if (values.publish) {
      await publishRelease(handle.db, result.releaseId);
      console.log(`Published release #${result.releaseId}`);
    }
    return 0;
  } catch (error) {
    if (error instanceof ReleaseValidationError || error instanceof ReleaseLifecycleError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  } finally {
    await handle.close();
  }
}

main().then((code) => process.exit(code), (error) => {
  console.error(error);
  process.exit(1);
});
