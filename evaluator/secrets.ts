/**
 * Endpoint tokens at rest: AES-256-GCM with a random 96-bit nonce per secret.
 *
 * Blob format (ASCII, safe for a text column): `v1.<keyId>.<iv>.<tag>.<ciphertext>`, base64url parts.
 * `keyId` is the first 8 hex digits of SHA-256(key): it lets a wrong key fail with a clear message
 * instead of a bare authentication error, and says which key a row needs after a rotation.
 * An optional `context` (e.g. the submission id) is bound as additional authenticated data, so
 * a blob copied to another row does not decrypt there.
 *
 * Key source: `SECRET_KEY` env (any string; stretched with scrypt to 32 bytes), else a random
 * 32-byte key created once in `<dataDir>/secret-key` (mode 0600) for the embedded default.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes, scryptSync } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const VERSION = 'v1';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Fixed salt: the env string is the secret; the salt only separates this use from others. */
const SCRYPT_SALT = 'spinebench-hub/endpoint-token-key/v1';
const SCRYPT_PARAMS = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
export const SECRET_KEY_FILE = 'secret-key';

export function deriveSecretKey(envValue: string): Buffer {
  if (envValue.trim().length < 16) {
    throw new Error('SECRET_KEY must be at least 16 characters (use e.g. `openssl rand -base64 32`)');
  }
  return scryptSync(envValue, SCRYPT_SALT, KEY_BYTES, SCRYPT_PARAMS);
}

export function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

function assertKey(key: Buffer): void {
  if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) {
    throw new Error(`secret key must be ${KEY_BYTES} bytes, got ${Buffer.isBuffer(key) ? key.length : typeof key}`);
  }
}

export function encryptSecret(plain: string, key: Buffer, context = ''): string {
  assertKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  const parts = [iv, cipher.getAuthTag(), ciphertext].map((b) => b.toString('base64url'));
  return [VERSION, keyId(key), ...parts].join('.');
}

export function decryptSecret(blob: string, key: Buffer, context = ''): string {
  assertKey(key);
  const parts = blob.split('.');
  if (parts.length !== 5 || parts[0] !== VERSION) {
    throw new Error(`encrypted secret is not in the ${VERSION} format`);
  }
  const [, blobKeyId, ivText, tagText, ciphertextText] = parts;
  if (blobKeyId !== keyId(key)) {
    throw new Error(`encrypted secret was made with key ${blobKeyId}, but the current key is ${keyId(key)}`);
  }
  const iv = Buffer.from(ivText, 'base64url');
  const tag = Buffer.from(tagText, 'base64url');
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new Error('encrypted secret is truncated');
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(Buffer.from(ciphertextText, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new Error('encrypted secret failed authentication (tampered, or stored for another record)');
  }
}

/**
 * The key for this installation: derived from `envValue` (SECRET_KEY) when given, otherwise
 * read from `<dataDir>/secret-key`, creating it with 32 random bytes on first use.
 * Losing that file (or changing SECRET_KEY) makes stored tokens unreadable: teams re-enter them.
 */
export async function loadOrCreateSecretKey(dataDir: string, envValue?: string): Promise<Buffer> {
  if (envValue !== undefined && envValue !== '') return deriveSecretKey(envValue);
  const path = join(dataDir, SECRET_KEY_FILE);
  await mkdir(dataDir, { recursive: true });
  // Written aside and linked into place: link() fails if the key exists and never exposes a
  // half-written file, so processes starting together all read the same complete key.
  const draft = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(draft, randomBytes(KEY_BYTES).toString('base64') + '\n', { flag: 'wx', mode: 0o600 });
  try {
    await link(draft, path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  } finally {
    await unlink(draft);
  }
  const key = Buffer.from((await readFile(path, 'utf8')).trim(), 'base64');
  if (key.length !== KEY_BYTES) {
    throw new Error(`${path} must hold ${KEY_BYTES} base64-encoded bytes; it holds ${key.length}`);
  }
  return key;
}

/** What to print instead of a secret: says whether one is set, never any of its characters. */
export function redact(value: string | null | undefined): string {
  return value ? '[redacted]' : '[none]';
}

/** Replaces every occurrence of the given secrets in a text (e.g. an endpoint's error body echoing the token). */
export function redactSecretsIn(text: string, secrets: ReadonlyArray<string | null | undefined>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join('[redacted]');
  }
  return out;
}
