/** Creating and revoking a team's API tokens from the team page: owners only, each change in the audit log. */
import { z } from 'zod';
import { insertApiToken, revokeApiToken } from '../../db/queries/api-tokens';
import { recordAudit } from '../../db/queries/audit';
import { tokenDigest } from '../auth/one-time-tokens.server';
import { auditActorOf, type SessionUser } from '../auth/session.server';
import type { AppServices } from '../services.server';
import { API_SCOPES, newApiToken } from './token-auth.server';

export const TOKEN_NAME_MAX = 60;

export const newTokenForm = z.object({
  tokenName: z
    .string({ message: 'Token name is required.' })
    .trim()
    .min(1, 'Token name is required.')
    .max(TOKEN_NAME_MAX, `Token name may have at most ${TOKEN_NAME_MAX} characters.`)
    .regex(/^[^\u0000-\u001f\u007f]+$/, 'Token name may not hold control characters.'),
  scopes: z.array(z.enum(API_SCOPES, { message: `Scopes are ${API_SCOPES.join(' and ')}.` })).min(1, 'Choose at least one scope.'),
});

export type TokenFormResult = { ok: true; token: string; name: string } | { ok: false; fieldErrors: Record<string, string> };


export async function createTeamToken(services: AppServices, user: SessionUser, team: { id: number; name: string }, form: FormData): Promise<TokenFormResult> {
  const parsed = newTokenForm.safeParse({ tokenName: form.get('tokenName') ?? '', scopes: form.getAll('scopes').map(String) });
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0])] ??= issue.message;
    return { ok: false, fieldErrors };
  }
  const token = newApiToken();
  const scopes = [...new Set(parsed.data.scopes)].sort();
  await services.db.transaction(async (tx) => {
    const row = await insertApiToken(tx, { teamId: team.id, createdBy: user.id, name: parsed.data.tokenName, tokenHash: tokenDigest(token), scopes });
    await recordAudit(tx, { actor: auditActorOf(user), action: 'token.create', subject: `token:${row.id}`, details: { team: team.name, teamId: team.id, name: row.name, scopes } });
  });
  return { ok: true, token, name: parsed.data.tokenName };
}

/** Revokes one of the team's live tokens; null when there is none with that id. */
export async function revokeTeamToken(services: AppServices, user: SessionUser, team: { id: number; name: string }, tokenId: number) {
  return services.db.transaction(async (tx) => {
    const row = await revokeApiToken(tx, team.id, tokenId);
    if (row) await recordAudit(tx, { actor: auditActorOf(user), action: 'token.revoke', subject: `token:${row.id}`, details: { team: team.name, teamId: team.id, name: row.name } });
    return row;
  });
}
