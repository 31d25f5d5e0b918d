import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Database } from '../client';
import { apiTokens, teams } from '../schema';

export type ApiTokenRow = typeof apiTokens.$inferSelect;

/** A team's tokens, newest first: what the team page lists (never the hash). */
export async function listTeamTokens(db: Database, teamId: number) {
  return db
    .select({ id: apiTokens.id, name: apiTokens.name, scopes: apiTokens.scopes, createdAt: apiTokens.createdAt, lastUsedAt: apiTokens.lastUsedAt, revokedAt: apiTokens.revokedAt })
    .from(apiTokens)
    .where(eq(apiTokens.teamId, teamId))
    .orderBy(desc(apiTokens.id));
}

export async function insertApiToken(
  db: Pick<Database, 'insert'>,
  input: { teamId: number; createdBy: string; name: string; tokenHash: string; scopes: string[] },
): Promise<ApiTokenRow> {
  const [row] = await db.insert(apiTokens).values(input).returning();
  return row;
}

/** Marks a team's live token revoked; false when the team has no such live token. */
export async function revokeApiToken(db: Pick<Database, 'update'>, teamId: number, tokenId: number, now = new Date()): Promise<ApiTokenRow | null> {
  const [row] = await db
    .update(apiTokens)
    .set({ revokedAt: now })
    .where(and(eq(apiTokens.id, tokenId), eq(apiTokens.teamId, teamId), isNull(apiTokens.revokedAt)))
    .returning();
  return row ?? null;
}

/** The token with this digest and its team (revoked ones too, so the caller can say it was revoked). */
export async function findTokenByHash(db: Database, tokenHash: string) {
  const [row] = await db
    .select({ token: apiTokens, team: { id: teams.id, name: teams.name, isBaseline: teams.isBaseline } })
    .from(apiTokens)
    .innerJoin(teams, eq(teams.id, apiTokens.teamId))
    .where(eq(apiTokens.tokenHash, tokenHash));
  return row;
}

export async function touchApiToken(db: Database, tokenId: number, now = new Date()): Promise<void> {
  await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, tokenId));
}
