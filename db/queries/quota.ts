import { and, count, eq, gte } from 'drizzle-orm';
import type { Database } from '../client';
import { evaluationRuns, models, submissions, teams } from '../schema';

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

/** Hidden-split runs a team has left today (UTC). */
export async function getTestRunQuota(db: Database, teamName: string, limit: number, now = new Date()): Promise<QuotaStatus> {
  const since = startOfUtcDay(now);
  const rows = await db
    .select({ status: evaluationRuns.status, platformFault: evaluationRuns.platformFault, doneItems: evaluationRuns.doneItems })
    .from(evaluationRuns)
    .innerJoin(submissions, eq(submissions.id, evaluationRuns.submissionId))
    .innerJoin(models, eq(models.id, submissions.modelId))
    .innerJoin(teams, eq(teams.id, models.teamId))
    .where(and(eq(teams.name, teamName), eq(submissions.split, 'test'), gte(evaluationRuns.createdAt, since)));
  const used = rows.filter(runIsCharged).length;
  return {
    limit,
    used,
    remaining: Math.max(0, limit - used),
    resetsAt: new Date(since.getTime() + 86_400_000).toISOString(),
  };
}

/** Runs a team started on a split since a moment (for the dev-split rate limit). */
export async function countRecentRuns(db: Database, teamName: string, split: 'dev' | 'test', since: Date): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(evaluationRuns)
    .innerJoin(submissions, eq(submissions.id, evaluationRuns.submissionId))
    .innerJoin(models, eq(models.id, submissions.modelId))
    .innerJoin(teams, eq(teams.id, models.teamId))
    .where(and(eq(teams.name, teamName), eq(submissions.split, split), gte(evaluationRuns.createdAt, since)));
  return row.n;
}
