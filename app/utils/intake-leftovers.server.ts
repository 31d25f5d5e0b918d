/**
 * Removes what an intake that never finished left on disk (a process killed while extracting a bundle
 * leaves a folder of hundreds of MB under DATA_DIR/models; one killed while receiving a form leaves a
 * `*.upload` file in the uploads folder). Kept: every bundle folder a model points at, and anything
 * touched within `graceMs`, which may belong to an intake still in progress in another process.
 */
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Database } from '../../db/client';
import { listReferencedArtifactDirs } from '../../db/queries/onnx-models';

export interface LeftoverFolders {
  modelsDir: string;
  uploadsDir: string;
}

async function idleFor(file: string, now: number): Promise<number> {
  return stat(file).then((s) => now - s.mtimeMs, () => 0);
}

export async function sweepIntakeLeftovers(db: Database, dirs: LeftoverFolders, graceMs: number, now = Date.now()): Promise<string[]> {
  const removed: string[] = [];
  const referenced = await listReferencedArtifactDirs(db);
  for (const name of await readdir(dirs.modelsDir).catch(() => [] as string[])) {
    const folder = path.join(dirs.modelsDir, name);
    if (referenced.has(folder) || (await idleFor(folder, now)) < graceMs) continue;
    await rm(folder, { recursive: true, force: true });
    removed.push(folder);
  }
  for (const name of await readdir(dirs.uploadsDir).catch(() => [] as string[])) {
    if (!name.endsWith('.upload')) continue;
    const file = path.join(dirs.uploadsDir, name);
    if ((await idleFor(file, now)) < graceMs) continue;
    await rm(file, { force: true });
    removed.push(file);
  }
  return removed;
}
