import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { generateSynthRelease } from '../../benchmark/synth';
import { DEMO_RELEASE_DIR, DEMO_SCALE } from './demo-release';

/**
 * Builds the Remix app once so that tests can start the real server (SKIP_BUILD=1 reuses the last
 * build), and generates the shared demo release once.
 */
export default async function setup() {
  if (!existsSync(path.join(DEMO_RELEASE_DIR, 'manifest.json'))) {
    await generateSynthRelease({ seed: 1, outDir: DEMO_RELEASE_DIR, scale: DEMO_SCALE, overwrite: true });
  }
  if (process.env.SKIP_BUILD !== '1') execFileSync('npx', ['remix', 'vite:build'], { stdio: 'ignore' });
}
