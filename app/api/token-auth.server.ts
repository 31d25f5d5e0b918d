/**
 * Team API tokens (docs/decisions/250-api-tokens.md): `sbh_` + 256 random bits, base64url; the database keeps
 * only the SHA-256 digest. A request presents one as `Authorization: Bearer <token>`; this resolves it to the
 * team and its scopes, or refuses: 401 for a missing, unknown or revoked token, 403 for a missing scope.
 */
import { findTokenByHash, touchApiToken } from '../../db/queries/api-tokens';
import { newSecretToken, tokenDigest } from '../auth/one-time-tokens.server';
import type { AppServices } from '../services.server';
import { ApiError } from './errors.server';

export const API_TOKEN_PREFIX = 'sbh_';
export const API_SCOPES = ['submit', 'read'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export const SCOPE_DESCRIPTIONS: Record<ApiScope, string> = {
  submit: 'submit models (endpoint or ONNX upload) for the team',
  read: "read the team's runs",
};

export function newApiToken(): string {
  return newSecretToken(API_TOKEN_PREFIX);
}

export interface TokenPrincipal {
  team: { id: number; name: string; isBaseline: boolean };
  token: { id: number; name: string; createdBy: string | null };
  scopes: ApiScope[];
}

/** Pure: the bearer token in an Authorization header, or null when none is presented. */
export function bearerToken(header: string | null): string | null {
  if (!header) return null;
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return m ? m[1] : '';
}

/** Resolves the request's bearer token; throws ApiError 401/403. */
export async function requireApiToken(request: Request, services: Pick<AppServices, 'db'>, scope: ApiScope): Promise<TokenPrincipal> {
  const presented = bearerToken(request.headers.get('authorization'));
  if (presented === null) throw new ApiError(401, 'unauthorized', 'This call needs a team API token: send "Authorization: Bearer <token>" (create one on your team page).');
  if (!presented) throw new ApiError(401, 'unauthorized', 'The Authorization header is not of the form "Bearer <token>".');
  if (!presented.startsWith(API_TOKEN_PREFIX) || presented.length > 200) throw new ApiError(401, 'unauthorized', 'This is not a SpineBench API token (they start with "sbh_").');
  const found = await findTokenByHash(services.db, tokenDigest(presented));
  if (!found) throw new ApiError(401, 'unauthorized', 'Unknown API token: it was never issued or was mistyped.');
  if (found.token.revokedAt) throw new ApiError(401, 'unauthorized', `API token "${found.token.name}" was revoked on ${found.token.revokedAt.toISOString().slice(0, 10)}.`);
  const scopes = found.token.scopes.filter((s): s is ApiScope => (API_SCOPES as readonly string[]).includes(s));
  if (!scopes.includes(scope)) {
    throw new ApiError(403, 'forbidden', `API token "${found.token.name}" lacks the "${scope}" scope (it has: ${scopes.join(', ') || 'none'}); create a token with it on the team page.`);
  }
  await touchApiToken(services.db, found.token.id);
  return { team: found.team, token: { id: found.token.id, name: found.token.name, createdBy: found.token.createdBy }, scopes };
}
