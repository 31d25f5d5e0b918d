/**
 * Copies a bundle folder that lies on shared storage into a folder the platform owns, at registration.
 * Validation and every later run then read the copy, so a file swapped on the shared storage afterwards
 * (or between validation and loading) is never loaded. Each file is opened with no-follow and checked to
 * be a regular file through the same descriptor it is copied from; links, FIFOs and devices are refused
 * by name without being opened or read.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { BundleProblem } from './bundle-report';
import { BundleFileError, openRegularFile } from './bundle-files';

export interface SnapshotLimits {
  maxTotalBytes: number;
  maxFiles: number;
}

export type SnapshotResult = { ok: true; files: number; bytes: number } | { ok: false; problems: BundleProblem[] };

export async function snapshotBundle(sourceDir: string, destDir: string, limits: SnapshotLimits): Promise<SnapshotResult> {
  const problems: BundleProblem[] = [];
  let files = 0;
  let bytes = 0;

  async function copyFolder(rel: string): Promise<void> {
    const entries = await readdir(path.join(sourceDir, rel), { withFileTypes: true });
    await mkdir(path.join(destDir, rel), { recursive: true });
    for (const entry of entries) {
      const name = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isSymbolicLink()) problems.push({ file: name, message: 'is a symbolic link; bundles hold regular files only' });
      else if (entry.isDirectory()) await copyFolder(name);
      else if (!entry.isFile()) problems.push({ file: name, message: 'is not a regular file (a FIFO, socket or device); bundles hold regular files only' });
      else await copyFile(name);
      if (problems.length > 0) return;
    }
  }

  async function copyFile(rel: string): Promise<void> {
    if (++files > limits.maxFiles) {
      problems.push({ file: rel, message: `the bundle holds more than ${limits.maxFiles} files` });
      return;
    }
    let opened;
    try {
      opened = await openRegularFile(path.join(sourceDir, rel));
    } catch (e) {
      problems.push({ file: rel, message: e instanceof BundleFileError ? e.message : 'cannot be read' });
      return;
    }
    const { handle, size } = opened;
    if (bytes + size > limits.maxTotalBytes) {
      await handle.close();
      problems.push({ file: rel, message: `the bundle is larger than this platform accepts (${limits.maxTotalBytes} bytes)` });
      return;
    }
    const target = path.join(destDir, rel);
    if (size === 0) {
      await handle.close();
      await writeFile(target, '', { flag: 'wx' });
    } else {
      // Copy exactly the size seen at open: a file that grows meanwhile cannot push the copy past the limit.
      await pipeline(handle.createReadStream({ start: 0, end: size - 1 }), createWriteStream(target, { flags: 'wx' }));
    }
    bytes += size;
  }

  try {
    await copyFolder('');
  } catch (e) {
    problems.push({ file: '.', message: `the bundle folder could not be read (${(e as NodeJS.ErrnoException).code ?? 'error'})` });
  }
  if (problems.length > 0) {
    await rm(destDir, { recursive: true, force: true });
    return { ok: false, problems };
  }
  return { ok: true, files, bytes };
}
