import { existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
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
    // Generated beside and renamed into place: a second vitest process (or project) never sees half a release.
    const temp = `${DEMO_RELEASE_DIR}.${process.pid}-${Date.now()}`;
    await generateSynthRelease({ seed: 1, outDir: temp, scale: DEMO_SCALE, overwrite: true });
    if (existsSync(path.join(DEMO_RELEASE_DIR, 'manifest.json'))) await rm(temp, { recursive: true, force: true });
    else {
      await rm(DEMO_RELEASE_DIR, { recursive: true, force: true });
      await rename(temp, DEMO_RELEASE_DIR);
    }
  }
  if (process.env.SKIP_BUILD === '1') return;
  const outcome = await ensureBuild(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..'));
  if (outcome.state === 'failed') throw new Error(`the app does not build:\n${outcome.output}`);
}
