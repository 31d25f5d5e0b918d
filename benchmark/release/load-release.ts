import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { extractReleaseArchive, type ArchiveLimits } from './archive';
import { loadReleaseFolder, type LoadedRelease, type ReleaseLimits } from './load-folder';
import { ReleaseValidationError } from './validation-error';

/**
 * Loads and validates a release from a folder or an archive (tar, tar.gz or zip, recognised by content).
 * Archives are unpacked safely into a temporary folder; call `dispose()` on the result when done.
 */
export async function loadRelease(
  source: string,
  opts: { limits?: Partial<ReleaseLimits>; archiveLimits?: Partial<ArchiveLimits>; tempDir?: string } = {},
): Promise<LoadedRelease> {
  const stats = await stat(source).catch(() => null);
  if (!stats) throw new ReleaseValidationError([{ file: source, message: 'does not exist' }]);
  if (stats.isDirectory()) return loadReleaseFolder(source, opts.limits);
  const temp = await mkdtemp(path.join(opts.tempDir ?? tmpdir(), 'sbh-release-'));
  const dispose = () => rm(temp, { recursive: true, force: true });
  try {
    const root = await extractReleaseArchive(source, temp, opts.archiveLimits);
    const loaded = await loadReleaseFolder(root, opts.limits);
    return { ...loaded, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}
