import { and, count, eq, gt, gte, inArray, isNotNull, lt } from 'drizzle-orm';
import type { Database } from '../client';
import { emailTokens, signInFailures, users } from '../schema';

export type UserRow = typeof users.$inferSelect;
export type EmailTokenPurpose = (typeof emailTokens.$inferSelect)['purpose'];

export async function findUserByEmail(db: Database, email: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.email, email));
  return row;
}

export async function findUserById(db: Database, id: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row;
}

/** A new account, or null when the address is taken. */
export async function insertUser(db: Database, user: { id: string; email: string; passwordHash: string }): Promise<UserRow | null> {
  const [row] = await db
    .insert(users)
    .values({ id: user.id, email: user.email, username: user.email, passwordHash: user.passwordHash })
    .onConflictDoNothing()
    .returning();
  return row ?? null;
}

export async function insertEmailToken(db: Database, token: { tokenHash: string; userId: string; purpose: EmailTokenPurpose; expiresAt: Date }) {
  await db.insert(emailTokens).values(token);
}

/** Deletes and returns a live token of that purpose: each link works once. */
export async function consumeEmailToken(db: Database, tokenHash: string, purpose: EmailTokenPurpose, now = new Date()) {
  const [row] = await db
    .delete(emailTokens)
    .where(and(eq(emailTokens.tokenHash, tokenHash), eq(emailTokens.purpose, purpose)))
    .returning();
  return row && row.expiresAt > now ? row : null;
}

/** Whether a token exists and is live, without using it (to show the form a link leads to). */
export async function emailTokenIsLive(db: Database, tokenHash: string, purpose: EmailTokenPurpose, now = new Date()) {
  const [row] = await db
    .select({ n: count() })
    .from(emailTokens)
    .where(and(eq(emailTokens.tokenHash, tokenHash), eq(emailTokens.purpose, purpose), gt(emailTokens.expiresAt, now)));
  return row.n > 0;
}

export async function markEmailVerified(db: Database, userId: string, promoteToMaintainer: boolean, now = new Date()) {
  await db
    .update(users)
    .set({ emailVerifiedAt: now, ...(promoteToMaintainer ? { role: 'maintainer' as const } : {}) })
    .where(eq(users.id, userId));
}

export async function setPasswordHash(db: Database, userId: string, passwordHash: string) {
  await db.update(users).set({ passwordHash }).where(eq(users.id, userId));
  // Older reset links of this account stop working once one was used.
  await db.delete(emailTokens).where(and(eq(emailTokens.userId, userId), eq(emailTokens.purpose, 'reset-password')));
}

export async function setUserRole(db: Database, email: string, role: UserRow['role']): Promise<boolean> {
  const rows = await db.update(users).set({ role }).where(eq(users.email, email)).returning({ id: users.id });
  return rows.length > 0;
}

/** Recent failed sign-ins per key (`account:…`, `address:…`). */
export async function countSignInFailures(db: Database, keys: string[], since: Date): Promise<Map<string, number>> {
  const rows = await db
    .select({ key: signInFailures.key, n: count() })
    .from(signInFailures)
    .where(and(inArray(signInFailures.key, keys), gte(signInFailures.createdAt, since)))
    .groupBy(signInFailures.key);
  return new Map(rows.map((r) => [r.key, r.n]));
}

export async function recordSignInFailure(db: Database, keys: string[], now = new Date()) {
  await db.insert(signInFailures).values(keys.map((key) => ({ key, createdAt: now })));
  // Old failures no longer count; dropping them keeps the table small.
  await db.delete(signInFailures).where(lt(signInFailures.createdAt, new Date(now.getTime() - 24 * 3_600_000)));
}

export async function clearSignInFailures(db: Database, key: string) {
  await db.delete(signInFailures).where(eq(signInFailures.key, key));
}

/** Maintainer accounts with a verified address: the ones that can open the maintainer area. */
export async function countVerifiedMaintainers(db: Database): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(users)
    .where(and(eq(users.role, 'maintainer'), isNotNull(users.emailVerifiedAt)));
  return row.n;
}
