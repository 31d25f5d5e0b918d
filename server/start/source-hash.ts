import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * What the Remix build is made from: the app and every layer it imports (the server bundle inlines db/, log/,
 * evaluator/, benchmark/, config/ and workers/ code), plus the build configuration and the lockfile.
 * Listing a folder the build does not use only costs a needless rebuild; missing one would serve stale code.
 */
export const BUILD_INPUTS = {
  folders: ['app', 'benchmark', 'config', 'db', 'evaluator', 'log', 'workers'],
  files: ['vite.config.ts', 'remix.config.js', 'tsconfig.json', 'package.json', 'package-lock.json'],
} as const;

async function filesUnder(root: string, folder: string): Promise<string[]> {
  const entries = await readdir(path.join(root, folder), { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
}

/** SHA-256 over the path and content of every build input, in a fixed order: equal hashes, equal builds. */
export async function buildSourceHash(root: string, inputs: { folders: readonly string[]; files: readonly string[] } = BUILD_INPUTS): Promise<string> {
  const listed = await Promise.all(inputs.folders.map((f) => filesUnder(root, f).catch(() => [] as string[])));
  const files = [...new Set([...listed.flat(), ...inputs.files])].sort();
  const hash = createHash('sha256');
  for (const file of files) {
    const content = await readFile(path.join(root, file)).catch(() => null);
    hash.update(`${file}\0${content === null ? 'missing' : content.length}\0`);
    if (content) hash.update(content);
  }
  return hash.digest('hex');
}
