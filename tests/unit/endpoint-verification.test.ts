import { describe, expect, it } from 'vitest';
import { bodyProvesToken, verificationOrigin } from '../../app/teams/endpoint-verification.server';

describe('endpoint host verification (pure parts)', () => {
  it('takes the origin of an http(s) endpoint URL, lower case, port kept', () => {
    expect(verificationOrigin('https://Models.Example.org/v1')).toBe('https://models.example.org');
    expect(verificationOrigin(' http://127.0.0.1:8000/v1/chat ')).toBe('http://127.0.0.1:8000');
    expect(verificationOrigin('https://example.org:443/v1')).toBe('https://example.org');
  });
  it('refuses what is not an http(s) URL', () => {
    for (const bad of ['example.org/v1', 'not a url', 'ftp://example.org', 'http://', 'file:///etc/passwd']) expect(verificationOrigin(bad)).toBeNull();
  });
  it('accepts the token alone (whitespace around it), nothing else', () => {
    expect(bodyProvesToken('sbv_abc\n', 'sbv_abc')).toBe(true);
    expect(bodyProvesToken('token: sbv_abc', 'sbv_abc')).toBe(false);
    expect(bodyProvesToken('sbv_abcd', 'sbv_abc')).toBe(false);
    expect(bodyProvesToken('', 'sbv_abc')).toBe(false);
  });
});
