import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  decryptSecret,
  deriveSecretKey,
  encryptSecret,
  keyId,
  loadOrCreateSecretKey,
  redact,
  redactSecretsIn,
  SECRET_KEY_FILE,
} from '../../evaluator/secrets';

const key = Buffer.alloc(32, 7);
const otherKey = Buffer.alloc(32, 9);
const token = 'sk-live-0123456789abcdef';

describe('encryptSecret / decryptSecret', () => {
  it('round-trips, including non-ASCII and empty text', () => {
    for (const plain of [token, '令牌 ✓', '']) {
      expect(decryptSecret(encryptSecret(plain, key), key)).toBe(plain);
    }
  });

  it('never contains the plain token and differs every time (random nonce)', () => {
    const a = encryptSecret(token, key);
    const b = encryptSecret(token, key);
    expect(a).not.toBe(b);
    expect(a).not.toContain(token);
    expect(Buffer.from(a.split('.')[4], 'base64url').toString('utf8')).not.toContain(token);
    expect(a).toMatch(/^v1\.[0-9a-f]{8}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  });

  it('says clearly when the key is not the one used', () => {
    const blob = encryptSecret(token, key);
    expect(() => decryptSecret(blob, otherKey)).toThrow(`made with key ${keyId(key)}, but the current key is ${keyId(otherKey)}`);
  });

  it('detects tampering', () => {
    const parts = encryptSecret(token, key).split('.');
    const ciphertext = Buffer.from(parts[4], 'base64url');
    ciphertext[0] ^= 1;
    parts[4] = ciphertext.toString('base64url');
    expect(() => decryptSecret(parts.join('.'), key)).toThrow(/failed authentication/);
  });

  it('binds the blob to its context', () => {
    const blob = encryptSecret(token, key, 'submission:17');
    expect(decryptSecret(blob, key, 'submission:17')).toBe(token);
    expect(() => decryptSecret(blob, key, 'submission:18')).toThrow(/failed authentication/);
  });

  it('rejects malformed blobs and wrong-size keys', () => {
    expect(() => decryptSecret('plain-token', key)).toThrow(/not in the v1 format/);
    expect(() => decryptSecret(`v1.${keyId(key)}.AA.AA.AA`, key)).toThrow(/truncated/);
    expect(() => encryptSecret(token, Buffer.alloc(16))).toThrow(/32 bytes/);
  });
});

describe('keys', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'spinebench-secrets-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('derives the same 32-byte key from the same SECRET_KEY, a different one otherwise', () => {
    const a = deriveSecretKey('correct horse battery staple');
    expect(a).toHaveLength(32);
    expect(deriveSecretKey('correct horse battery staple').equals(a)).toBe(true);
    expect(deriveSecretKey('correct horse battery stapler').equals(a)).toBe(false);
    expect(() => deriveSecretKey('short')).toThrow(/at least 16 characters/);
  });

  it('prefers SECRET_KEY and writes no file then', async () => {
    const fromEnv = await loadOrCreateSecretKey(dir, 'correct horse battery staple');
    expect(fromEnv.equals(deriveSecretKey('correct horse battery staple'))).toBe(true);
    await expect(stat(join(dir, SECRET_KEY_FILE))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('creates a private random key file once and reuses it', async () => {
    const dataDir = join(dir, 'nested', 'data');
    const first = await loadOrCreateSecretKey(dataDir);
    const second = await loadOrCreateSecretKey(dataDir, '');
    expect(first).toHaveLength(32);
    expect(second.equals(first)).toBe(true);
    const file = join(dataDir, SECRET_KEY_FILE);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(Buffer.from((await readFile(file, 'utf8')).trim(), 'base64').equals(first)).toBe(true);
    expect(decryptSecret(encryptSecret(token, first), second)).toBe(token);
  });

  it('agrees on one key when several processes start together', async () => {
    const keys = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateSecretKey(dir)));
    expect(new Set(keys.map((k) => k.toString('hex'))).size).toBe(1);
  });

  it('refuses a damaged key file instead of replacing it', async () => {
    await writeFile(join(dir, SECRET_KEY_FILE), 'c2hvcnQ=\n');
    await expect(loadOrCreateSecretKey(dir)).rejects.toThrow(/must hold 32 base64-encoded bytes; it holds 5/);
  });
});

describe('redaction', () => {
  it('never shows any part of a secret', () => {
    expect(redact(token)).toBe('[redacted]');
    expect(redact(token)).not.toContain(token.slice(-4));
    expect(redact('')).toBe('[none]');
    expect(redact(undefined)).toBe('[none]');
  });

  it('removes known secrets from text', () => {
    const text = `401: invalid token Bearer ${token} (token ${token})`;
    expect(redactSecretsIn(text, [token, null])).toBe('401: invalid token Bearer [redacted] (token [redacted])');
  });
});
