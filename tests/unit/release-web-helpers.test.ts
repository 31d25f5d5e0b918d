import { describe, expect, it } from 'vitest';
import { safeNextPath } from '../../app/utils/maintainer-auth.server';
import { safeUploadName } from '../../app/utils/release-upload.server';

describe('safeUploadName', () => {
  it.each([
    ['release.tar.gz', 'release.tar.gz'],
    ['C:\\Users\\me\\My Release v2.zip', 'My_Release_v2.zip'],
    ['../../etc/passwd.tar', 'passwd.tar'],
    ['..tar.gz', 'tar.gz'],
    ['...', 'release'],
    ['spine release (final)\u202e.tgz', 'spine_release__final__.tgz'],
  ])('%j → %j', (input, expected) => {
    expect(safeUploadName(input)).toBe(expected);
  });

  it('keeps the end of very long names, where the extension is', () => {
    const name = safeUploadName(`${'a'.repeat(300)}.tar.gz`);
    expect(name.length).toBe(120);
    expect(name.endsWith('.tar.gz')).toBe(true);
  });
});

describe('safeNextPath', () => {
  it.each([
    ['/maintainer/releases?x=1', '/maintainer/releases?x=1'],
    ['https://evil.example/', '/maintainer/releases'],
    ['//evil.example/', '/maintainer/releases'],
    ['/\\evil.example', '/maintainer/releases'],
    ['', '/maintainer/releases'],
    [null, '/maintainer/releases'],
  ])('%j → %j', (input, expected) => {
    expect(safeNextPath(input)).toBe(expected);
  });
});
