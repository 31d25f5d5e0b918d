import { eq } from 'drizzle-orm';
import type { Database } from '../client';
import { teamQuotaOverrides, teams } from '../schema';
import { recordAudit } from './audit';

/** The largest daily hidden-split quota a maintainer may set: a typo must not open the hidden split wide. */
export const MAX_DAILY_TEST_RUNS = 1000;

/** A team's daily hidden-split quota set by a maintainer, or undefined when DAILY_TEST_RUNS applies. */
export async function teamQuotaOverride(db: Pick<Database, 'select'>, teamId: number): Promise<number | undefined> {
  const [row] = await db.select({ n: teamQuotaOverrides.dailyTestRuns }).from(teamQuotaOverrides).where(eq(teamQuotaOverrides.teamId, teamId));
  return row?.n;
}

/** Every override, by team id (for the maintainers' team list). */
export async function listTeamQuotaOverrides(db: Database): Promise<Map<number, { dailyTestRuns: number; reason: string | null }>> {
  const rows = await db.select().from(teamQuotaOverrides);
  return new Map(rows.map((r) => [r.teamId, { dailyTestRuns: r.dailyTestRuns, reason: r.reason }]));
}

/**
 * Sets (a number) or clears (null: back to DAILY_TEST_RUNS) a team's daily hidden-split quota and records
 * quota.change with the old and new values, in one transaction. Returns false when the team does not exist.
 */
export async function setTeamQuotaOverride(
  db: Database,
  input: { teamId: number; dailyTestRuns: number | null; reason?: string | null; actor: string; defaultLimit: number },
): Promise<boolean> {
  if (input.dailyTestRuns !== null && (!Number.isInteger(input.dailyTestRuns) || input.dailyTestRuns < 0 || input.dailyTestRuns > MAX_DAILY_TEST_RUNS)) {
    throw new RangeError(`A daily quota is a whole number from 0 to ${MAX_DAILY_TEST_RUNS}.`);
  }
  return db.transaction(async (tx) => {
    const [team] = await tx.select({ name: teams.name }).from(teams).where(eq(teams.id, input.teamId));
    if (!team) return false;
    const before = (await teamQuotaOverride(tx, input.teamId)) ?? null;
    const reason = input.reason?.trim() || null;
    if (input.dailyTestRuns === null) {
      await tx.delete(teamQuotaOverrides).where(eq(teamQuotaOverrides.teamId, input.teamId));
    } else {
      const values = { dailyTestRuns: input.dailyTestRuns, reason, updatedBy: input.actor, updatedAt: new Date() };
      await tx.insert(teamQuotaOverrides).values({ teamId: input.teamId, ...values }).onConflictDoUpdate({ target: teamQuotaOverrides.teamId, set: values });
    }
    if (before !== input.dailyTestRuns) {
      await recordAudit(tx, {
        actor: input.actor,
        action: 'quota.change',
        subject: `team:${team.name}`,
        reason,
        details: { teamId: input.teamId, quota: 'dailyTestRuns', from: before ?? `default (${input.defaultLimit})`, to: input.dailyTestRuns ?? `default (${input.defaultLimit})` },
      });
    }
    return true;
  });
}
