/** Release format: schemas, validation, reading (folder or archive) and writing. See docs/release-format.md. */
export { RELEASE_FORMAT, releaseManifestSchema, type ReleaseManifest } from './manifest-schema';
export { computeContentHash, compareUtf8, hashFile, sha256Hex, type HashedFile } from './content-hash';
export { ReleaseValidationError, formatProblem, type ReleaseProblem } from './validation-error';
export { checkImageBytes, type ImageCheck } from './image-check';
export { ITEMS_FILE, checkItemLine } from './item-checks';
export { MANIFEST_FILE, DEFAULT_RELEASE_LIMITS, loadReleaseFolder, type LoadedImage, type LoadedRelease, type ReleaseLimits } from './load-folder';
export { DEFAULT_ARCHIVE_LIMITS, extractReleaseArchive, type ArchiveLimits } from './archive';
export { loadRelease } from './load-release';
export { writeReleaseFolder, type ReleaseInfo } from './write-folder';
export { unsafeRelativePathReason } from './safe-path';
