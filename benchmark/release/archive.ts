import path from 'node:path';
import { ArchiveRefusedError, extractArchive } from '../archive/extract-archive';
import { ReleaseValidationError } from './validation-error';

export interface ArchiveLimits {
  maxEntries: number;
  /** Largest single file, uncompressed. */
  maxFileBytes: number;
  /** All files together, uncompressed (guards against decompression bombs). */
  maxTotalBytes: number;
  /** Extracted bytes per archive byte: item text and images compress far less than this. */
  maxCompressionRatio: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxEntries: 200_000,
  maxFileBytes: 1024 * 1024 * 1024,
  maxTotalBytes: 8 * 1024 * 1024 * 1024,
  maxCompressionRatio: 100,
};

/**
 * Unpacks a release archive (tar, tar.gz or zip, recognised by its first bytes) into `destDir` (an empty
 * folder) with the platform's one safe extraction (benchmark/archive/extract-archive.ts). Refusals become
 * release problems naming the archive and entry. Returns the release folder: the archive's single top-level
 * folder when it holds only one, else the extracted folder itself.
 */
export async function extractReleaseArchive(archivePath: string, destDir: string, limits: Partial<ArchiveLimits> = {}): Promise<string> {
  const max = { ...DEFAULT_ARCHIVE_LIMITS, ...limits };
  const archiveName = path.basename(archivePath);
  try {
    const extracted = await extractArchive(archivePath, path.join(destDir, 'release'), { ...max, maxArchiveBytes: Number.MAX_SAFE_INTEGER });
    return extracted.root;
  } catch (e) {
    if (!(e instanceof ArchiveRefusedError)) throw e;
    throw new ReleaseValidationError(e.all().map((r) => ({ file: r.entry ? `${archiveName}:${r.entry}` : archiveName, message: r.reason })));
  }
}
