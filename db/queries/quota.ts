import { and, count, eq, gte } from 'drizzle-orm';
import type { Database } from '../client';
import { evaluationRuns, models, submissions, teams } from '../schema';
import { teamQuotaOverride } from './quota-overrides';

/**
 * Whether a finished-or-not run counts against its team's hidden-split quota. Pure.
 * Refunded: failures the platform caused, and failed runs that never got a single answer
 * from the model (an endpoint that was down): nothing was measured.
 */
export function runIsCharged(run: { status: string; platformFault: boolean; doneItems: number }): boolean {
  if (run.status !== 'failed') return true;
  return !run.platformFault && run.doneItems > 0;
}

export function startOfUtcDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

export interface QuotaStatus {
  limit: number;
  used: number;
  remaining: number;
  resetsAt: string;
}

/** The hidden-split runs of a team (by id) or of an account since a moment, as the quota counts them. */
async function chargedTestRuns(db: Database, where: { teamId: number } | { userId: string }, since: Date): Promise<number> {
  const owner = 'teamId' in where ? eq(models.teamId, where.teamId) : eq(submissions.submittedBy, where.userId);
  const rows = await db
    .select({ status: evaluationRuns.status, platformFault: evaluationRuns.platformFault, doneItems: evaluationRuns.doneItems })
    .from(evaluationRuns)
    .innerJoin(submissions, eq(submissions.id, evaluationRuns.submissionId))
    .innerJoin(models, eq(models.id, submissions.modelId))
    .where(and(owner, eq(submissions.split, 'test'), gte(evaluationRuns.createdAt, since)));
  return rows.filter(runIsCharged).length;
}

/**
 * Hidden-split runs a team has left today (UTC). The platform's baseline team is exempt (`exempt`): its runs
 * are the platform's own. `limit` is the platform's default (DAILY_TEST_RUNS); a maintainer's override for the
 * team replaces it (`overridden`; db/queries/quota-overrides.ts).
 */
export async function teamTestRunQuota(
  db: Database,
  teamId: number,
  defaultLimit: number,
  now = new Date(),
): Promise<QuotaStatus & { exempt: boolean; overridden: boolean }> {
  const since = startOfUtcDay(now);
  const override = await teamQuotaOverride(db, teamId);
  const limit = override ?? defaultLimit;
  const [team] = await db.select({ isBaseline: teams.isBaseline }).from(teams).where(eq(teams.id, teamId));
  const used = await chargedTestRuns(db, { teamId }, since);
  const exempt = team?.isBaseline ?? false;
  return { exempt, overridden: override !== undefined, limit, used, remaining: exempt ? limit : Math.max(0, limit - used), resetsAt: new Date(since.getTime() + 86_400_000).toISOString() };
}

/** Hidden-split runs one account started today across all its teams: many teams do not multiply a person's runs. */
export async function accountTestRunsToday(db: Database, userId: string, now = new Date()): Promise<number> {
  return chargedTestRuns(db, { userId }, startOfUtcDay(now));
}

/** Runs a team started on a split since a moment (for the dev-split rate limit). */
export async function countRecentTeamRuns(db: Database, teamId: number, split: 'dev' | 'test', since: Date): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(evaluationRuns)
    .innerJoin(submissions, eq(submissions.id, evaluationRuns.submissionId))
    .innerJoin(models, eq(models.id, submissions.modelId))
    .where(and(eq(models.teamId, teamId), eq(submissions.split, split), gte(evaluationRuns.createdAt, since)));
  return row.n;
}
