import { describe, expect, it } from 'vitest';
import { ArchiveRefusedError, detectArchiveKind, isArchiveRootEntry, safeEntryPath } from '../../benchmark/archive/entry-paths';

describe('safeEntryPath', () => {
  it.each([
    ['config.json', 'config.json'],
    ['./onnx/decoder_model_merged.onnx', 'onnx/decoder_model_merged.onnx'],
    ['model//onnx/./a.onnx', 'model/onnx/a.onnx'],
    ['tiny-vlm/', 'tiny-vlm'],
  ])('%s → %s', (name, expected) => {
    expect(safeEntryPath(name)).toBe(expected);
  });

  it.each(['../evil', 'a/../../evil', '/etc/passwd', 'C:/Windows/evil', 'a\\..\\evil', 'a\0b', './', ''])('refuses %j', (name) => {
    expect(() => safeEntryPath(name)).toThrow(ArchiveRefusedError);
    try {
      safeEntryPath(name);
    } catch (e) {
      expect((e as ArchiveRefusedError).code).toBe('path_escape');
    }
  });
});

describe('isArchiveRootEntry', () => {
  it('knows the root folder entry that `tar -C dir .` writes, and nothing else', () => {
    for (const name of ['./', '.', './/', './.']) expect(isArchiveRootEntry(name)).toBe(true);
    for (const name of ['', '/', '../', './a', 'a/', '.hidden/', '..']) expect(isArchiveRootEntry(name)).toBe(false);
  });
});

describe('detectArchiveKind', () => {
  const ustar = Buffer.alloc(512);
  ustar.write('ustar', 257, 'latin1');
  it('recognises zip, gzip and ustar by their first bytes, and nothing else', () => {
    expect(detectArchiveKind(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0]))).toBe('zip');
    expect(detectArchiveKind(Buffer.from([0x1f, 0x8b, 0x08, 0]))).toBe('tar.gz');
    expect(detectArchiveKind(ustar)).toBe('tar');
    expect(detectArchiveKind(Buffer.from('BZh91AY&SY'))).toBeNull();
    expect(detectArchiveKind(Buffer.from('{"not": "an archive"}'))).toBeNull();
  });
});
