import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildSourceHash } from './source-hash';

export type BuildOutcome =
  | { state: 'up-to-date' }
  | { state: 'built'; seconds: number; firstBuild: boolean }
  | { state: 'failed'; code: number; output: string };

function runViteBuild(root: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const cli = path.join(root, 'node_modules/@remix-run/dev/dist/cli.js');
    const child = spawn(process.execPath, [cli, 'vite:build'], {
      cwd: root,
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => chunks.push(c));
    child.on('close', (code) => resolve({ code: code ?? 1, output: Buffer.concat(chunks).toString('utf8') }));
  });
}

/**
 * Builds the Remix app into `build/` unless the build there was made from the same sources (a content hash
 * kept in `build/.source-hash`). Vite's asset table is kept and returned only when the build fails.
 */
export async function ensureBuild(root: string, onBuildStart?: (firstBuild: boolean) => void): Promise<BuildOutcome> {
  const stampPath = path.join(root, 'build', '.source-hash');
  const hash = await buildSourceHash(root);
  const firstBuild = !existsSync(path.join(root, 'build/server/index.js'));
  const stamp = await readFile(stampPath, 'utf8').catch(() => '');
  if (!firstBuild && stamp.trim() === hash) return { state: 'up-to-date' };

  onBuildStart?.(firstBuild);
  const started = Date.now();
  const { code, output } = await runViteBuild(root);
  if (code !== 0) return { state: 'failed', code, output };
  await writeFile(stampPath, `${hash}\n`);
  return { state: 'built', seconds: (Date.now() - started) / 1000, firstBuild };
}
