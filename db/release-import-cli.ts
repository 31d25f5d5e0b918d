/**
 * npm run release:import -- <folder|archive> [--publish]
 *
 * Validates and imports a release. Uses DATABASE_URL when set, otherwise embedded PGlite in
 * DATA_DIR; images go to IMAGE_STORE_DIR (the platform's settings: config/env-variables.ts).
 */
import { parseArgs } from 'node:util';
import { ReleaseValidationError } from '../benchmark/release/validation-error';
import { readConfigOrExit } from '../config/platform-config';
import { openDatabase } from './client';
import { importReleaseFromPath } from './release-import';
import { ReleaseLifecycleError, publishRelease } from './queries/releases';

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { publish: { type: 'boolean', default: false } } });
  if (positionals.length !== 1) {
    console.error('usage: npm run release:import -- <folder|archive> [--publish]');
    return 2;
  }
  const config = readConfigOrExit();
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const started = Date.now();
    const result = await importReleaseFromPath(handle.db, positionals[0], { imageStoreDir: config.imageStoreDir });
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
