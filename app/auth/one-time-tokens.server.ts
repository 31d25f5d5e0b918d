import { createHash, randomBytes } from 'node:crypto';

/** A random secret for a link or an API token (256 bits, URL-safe); only its digest is stored. */
export function newSecretToken(prefix = ''): string {
  return prefix + randomBytes(32).toString('base64url');
}

/** SHA-256 of a token: what the database keeps, so a leaked table holds no usable links or tokens. */
export function tokenDigest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
