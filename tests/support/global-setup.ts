import { execFileSync } from 'node:child_process';

/** Builds the Remix app once so that tests can start the real server. SKIP_BUILD=1 reuses the last build. */
export default function setup() {
  if (process.env.SKIP_BUILD === '1') return;
  execFileSync('npx', ['remix', 'vite:build'], { stdio: 'ignore' });
}
