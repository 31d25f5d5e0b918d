import { and, count, desc, eq, gt, isNull, notExists, sql } from 'drizzle-orm';
import type { Database } from '../client';
import { memberships, models, teamInvites, teams, users } from '../schema';

export type TeamRow = typeof teams.$inferSelect;
export type TeamRole = (typeof memberships.$inferSelect)['role'];

/** A new team with its creator as owner; null when the name (or a look-alike of it, by key) is taken. */
export async function createTeamWithOwner(db: Database, input: { name: string; nameKey: string; ownerId: string }): Promise<TeamRow | null> {
  return db.transaction(async (tx) => {
    const [team] = await tx
      .insert(teams)
      .values({ name: input.name, nameKey: input.nameKey, createdBy: input.ownerId })
      .onConflictDoNothing()
      .returning();
    if (!team) return null;
    await tx.insert(memberships).values({ userId: input.ownerId, teamId: team.id, role: 'owner' });
    return team;
  });
}

export async function findTeam(db: Database, teamId: number): Promise<TeamRow | undefined> {
  const [row] = await db.select().from(teams).where(eq(teams.id, teamId));
  return row;
}

export async function teamRoleOf(db: Database, userId: string, teamId: number): Promise<TeamRole | null> {
  const [row] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.teamId, teamId)));
  return row?.role ?? null;
}

export async function listTeamsOf(db: Database, userId: string) {
  return db
    .select({ id: teams.id, name: teams.name, role: memberships.role })
    .from(memberships)
    .innerJoin(teams, eq(teams.id, memberships.teamId))
    .where(eq(memberships.userId, userId))
    .orderBy(teams.name);
}

export async function listMembers(db: Database, teamId: number) {
  return db
    .select({ userId: users.id, email: users.email, role: memberships.role, verified: sql<boolean>`${users.emailVerifiedAt} is not null` })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.teamId, teamId))
    .orderBy(desc(sql`${memberships.role} = 'owner'`), users.email);
}

/** The verified addresses of a team's members (for the hidden-split access rule). */
export async function verifiedMemberEmails(db: Database, teamId: number): Promise<string[]> {
  const rows = await db
    .select({ email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.teamId, teamId), sql`${users.emailVerifiedAt} is not null`));
  return rows.map((r) => r.email).filter((e): e is string => !!e);
}

export async function insertInvite(db: Database, invite: { tokenHash: string; teamId: number; createdBy: string; expiresAt: Date }) {
  await db.insert(teamInvites).values(invite);
}

/** The team a live (unused, unexpired) invite is for, without using it. */
export async function liveInviteTeam(db: Database, tokenHash: string, now = new Date()) {
  const [row] = await db
    .select({ team: teams })
    .from(teamInvites)
    .innerJoin(teams, eq(teams.id, teamInvites.teamId))
    .where(and(eq(teamInvites.tokenHash, tokenHash), isNull(teamInvites.usedAt), gt(teamInvites.expiresAt, now)));
  return row?.team ?? null;
}

export type InviteOutcome = { ok: true; teamId: number } | { ok: false; reason: 'invalid' | 'already-member' };

/** Uses an invite once (the update claims it atomically) and adds the user as a member. */
export async function acceptInvite(db: Database, tokenHash: string, userId: string, now = new Date()): Promise<InviteOutcome> {
  const team = await liveInviteTeam(db, tokenHash, now);
  if (!team) return { ok: false, reason: 'invalid' };
  // Already in the team: the invite stays unused for whoever it was meant for.
  if (await teamRoleOf(db, userId, team.id)) return { ok: false, reason: 'already-member' };
  return db.transaction(async (tx) => {
    const [invite] = await tx
      .update(teamInvites)
      .set({ usedAt: now, usedBy: userId })
      .where(and(eq(teamInvites.tokenHash, tokenHash), isNull(teamInvites.usedAt), gt(teamInvites.expiresAt, now)))
      .returning();
    if (!invite) return { ok: false, reason: 'invalid' } as const;
    await tx.insert(memberships).values({ userId, teamId: invite.teamId, role: 'member' }).onConflictDoNothing();
    return { ok: true, teamId: invite.teamId } as const;
  });
}

export async function listOpenInvites(db: Database, teamId: number, now = new Date()) {
  return db
    .select({ createdAt: teamInvites.createdAt, expiresAt: teamInvites.expiresAt })
    .from(teamInvites)
    .where(and(eq(teamInvites.teamId, teamId), isNull(teamInvites.usedAt), gt(teamInvites.expiresAt, now)))
    .orderBy(desc(teamInvites.createdAt));
}

/** Teams with no members (free-text teams from before accounts), for maintainers to hand over. */
export async function listTeamsForMaintainers(db: Database) {
  return db
    .select({
      id: teams.id,
      name: teams.name,
      isBaseline: teams.isBaseline,
      hiddenAccessApprovedAt: teams.hiddenAccessApprovedAt,
      members: sql<number>`(select count(*)::int from ${memberships} where ${memberships.teamId} = ${teams.id})`,
      models: sql<number>`(select count(*)::int from ${models} where ${models.teamId} = ${teams.id})`,
    })
    .from(teams)
    .orderBy(teams.name);
}

/** Gives a member-less team an owner; false when the team has members already (or does not exist). */
export async function handOverTeam(db: Database, teamId: number, userId: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [team] = await tx
      .select({ id: teams.id })
      .from(teams)
      .where(and(eq(teams.id, teamId), eq(teams.isBaseline, false), notExists(tx.select().from(memberships).where(eq(memberships.teamId, teamId)))))
      .for('update');
    if (!team) return false;
    await tx.insert(memberships).values({ userId, teamId, role: 'owner' });
    return true;
  });
}

export async function setHiddenAccessApproval(db: Database, teamId: number, approved: boolean, now = new Date()) {
  await db.update(teams).set({ hiddenAccessApprovedAt: approved ? now : null }).where(eq(teams.id, teamId));
}

/**
 * Fills name keys missing from rows made before keys existed (or by code that does not set them). A key that
 * collides with another team's (two old free-text names that only differ by case or look-alikes) gets the
 * row id appended, so every old team keeps its runs and stays distinct.
 */
export async function backfillNameKeys(db: Database, keyOf: (name: string) => string): Promise<number> {
  let filled = 0;
  const teamRows = await db.select({ id: teams.id, name: teams.name }).from(teams).where(isNull(teams.nameKey)).orderBy(teams.id);
  for (const t of teamRows) {
    const key = keyOf(t.name);
    const [{ n }] = await db.select({ n: count() }).from(teams).where(eq(teams.nameKey, key));
    await db.update(teams).set({ nameKey: n > 0 ? `${key}#${t.id}` : key }).where(eq(teams.id, t.id));
    filled++;
  }
  const modelRows = await db.select({ id: models.id, teamId: models.teamId, name: models.name }).from(models).where(isNull(models.nameKey)).orderBy(models.id);
  for (const m of modelRows) {
    const key = keyOf(m.name);
    const [{ n }] = await db.select({ n: count() }).from(models).where(and(eq(models.teamId, m.teamId), eq(models.nameKey, key)));
    await db.update(models).set({ nameKey: n > 0 ? `${key}#${m.id}` : key }).where(eq(models.id, m.id));
    filled++;
  }
  return filled;
}
