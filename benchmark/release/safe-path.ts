import path from 'node:path';

/**
 * Why a release-relative path is unsafe, or null when it is a plain relative POSIX path that stays
 * inside the release folder (no absolute path, drive, backslash, `..`, `.`, empty segment or NUL).
 */
export function unsafeRelativePathReason(file: string): string | null {
  if (file.length === 0) return 'is empty';
  if (file.includes('\0')) return 'contains a NUL character';
  if (file.includes('\\')) return 'contains a backslash (use "/")';
  if (file.startsWith('/') || /^[A-Za-z]:/.test(file)) return 'is absolute: it escapes the release folder';
  const segments = file.split('/');
  if (segments.includes('..')) return 'contains "..": it escapes the release folder';
  if (segments.some((s) => s === '' || s === '.')) return 'has an empty or "." segment';
  return null;
}

/** Whether `candidate` (absolute) lies inside `root` (absolute). */
export function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative !== '' && relative.split(path.sep)[0] !== '..' && !path.isAbsolute(relative);
}
