import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSynthRelease } from '../../benchmark/synth';
import { ensureBuild } from '../../server/start/ensure-build';
import { DEMO_RELEASE_DIR, DEMO_SCALE } from './demo-release';

/**
 * Builds the Remix app so that tests can start the real server — only when its sources changed since the
 * last build, as `npm start` does (SKIP_BUILD=1 skips even the check) — and generates the shared demo
 * release once.
 */
export default async function setup() {
  if (!existsSync(path.join(DEMO_RELEASE_DIR, 'manifest.json'))) {
    await generateSynthRelease({ seed: 1, outDir: DEMO_RELEASE_DIR, scale: DEMO_SCALE, overwrite: true });
  }
  if (process.env.SKIP_BUILD === '1') return;
  const outcome = await ensureBuild(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..'));
  if (outcome.state === 'failed') throw new Error(`the app does not build:\n${outcome.output}`);
}
