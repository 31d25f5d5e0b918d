/** Pure rules for archive entry names (release archives and ONNX bundles): what may be extracted, and where. */

export type ArchiveRefusalCode =
  | 'unsupported_format'
  | 'archive_too_large'
  | 'path_escape'
  | 'link'
  | 'special_file'
  | 'encrypted'
  | 'duplicate_entry'
  | 'too_many_files'
  | 'too_large'
  | 'decompression_bomb'
  | 'corrupt'
  | 'destination_exists';

/**
 * An archive refused during extraction; the message is safe to show to whoever uploaded it. `reason` is
 * the message without the entry; `more` holds the other refused entries found in the same pass (every
 * bad name, link or special file is reported, not only the first).
 */
export class ArchiveRefusedError extends Error {
  more: ArchiveRefusedError[] = [];
  constructor(
    readonly code: ArchiveRefusalCode,
    readonly reason: string,
    readonly entry?: string,
  ) {
    super(entry ? `${reason} (entry "${entry}")` : reason);
    this.name = 'ArchiveRefusedError';
  }

  /** This refusal and the others of the same archive. */
  all(): ArchiveRefusedError[] {
    return [this, ...this.more];
  }
}

/** Refusals of one entry's name or type: extraction skips the entry and goes on, to report them all. */
export const isEntryRefusal = (e: unknown): e is ArchiveRefusedError =>
  e instanceof ArchiveRefusedError && ['path_escape', 'link', 'special_file', 'encrypted', 'duplicate_entry'].includes(e.code);

/**
 * The entry's path relative to the extraction folder, with `.` and empty segments dropped, or a
 * refusal when it is absolute, climbs with `..`, uses backslashes or NUL, or names nothing.
 */
export function safeEntryPath(name: string): string {
  const shown = name.slice(0, 200);
  if (name.includes('\0') || name.includes('\\')) throw new ArchiveRefusedError('path_escape', 'entry name has a backslash or NUL character', shown);
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) throw new ArchiveRefusedError('path_escape', 'entry has an absolute path', shown);
  const parts = name.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) throw new ArchiveRefusedError('path_escape', 'entry path leaves the archive folder (..)', shown);
  if (parts.length === 0) throw new ArchiveRefusedError('path_escape', 'entry has an empty path', shown);
  return parts.join('/');
}

/**
 * True for a folder entry that names the archive's own root (`./`, `.`): `tar -czf x.tar.gz -C dir .`
 * writes one first. Extraction skips it; it creates nothing.
 */
export function isArchiveRootEntry(name: string): boolean {
  return /^\.(\/+\.)*\/*$/.test(name);
}

export type ArchiveKind = 'tar' | 'tar.gz' | 'zip';

/** Recognises the archive by its first bytes (at least 262 of them for tar). */
export function detectArchiveKind(head: Uint8Array): ArchiveKind | null {
  if (head[0] === 0x50 && head[1] === 0x4b && (head[2] === 0x03 || head[2] === 0x05) && (head[3] === 0x04 || head[3] === 0x06)) return 'zip';
  if (head[0] === 0x1f && head[1] === 0x8b) return 'tar.gz';
  if (head.length >= 262 && Buffer.from(head.subarray(257, 262)).toString('latin1') === 'ustar') return 'tar';
  return null;
}
