import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Database } from '../client';
import { evaluationRuns, leaderboardRows, models, releases, submissions } from '../schema';

/** A team's runs, newest first, with their board score where one was published. */
export async function listTeamRuns(db: Database, teamId: number, limit = 100) {
  return db
    .select({
      runId: evaluationRuns.id,
      modelName: models.name,
      release: sql<string>`${releases.name} || '@' || ${releases.version}`,
      split: submissions.split,
      status: evaluationRuns.status,
      score: leaderboardRows.score,
      createdAt: evaluationRuns.createdAt,
      withdrawnAt: evaluationRuns.withdrawnAt,
    })
    .from(evaluationRuns)
    .innerJoin(submissions, eq(submissions.id, evaluationRuns.submissionId))
    .innerJoin(models, eq(models.id, submissions.modelId))
    .innerJoin(releases, eq(releases.id, submissions.releaseId))
    // Runs the Ladder withheld list without a score.
    .leftJoin(leaderboardRows, and(eq(leaderboardRows.runId, evaluationRuns.id), eq(leaderboardRows.released, true)))
    .where(eq(models.teamId, teamId))
    .orderBy(desc(evaluationRuns.id))
    .limit(limit);
}

export type WithdrawOutcome =
  | { ok: true; releaseId: number; split: 'dev' | 'test' }
  | { ok: false; status: 404 | 409; reason: string };

/**
 * Marks a team's finished run withdrawn (kept, scores and all; off the boards). Only runs of `teamId`
 * qualify: another team's run id is "not found" here, whatever it is.
 */
export async function withdrawRun(db: Database, runId: number, teamId: number, userId: string, now = new Date()): Promise<WithdrawOutcome> {
  const [row] = await db
    .select({ runId: evaluationRuns.id, status: evaluationRuns.status, withdrawnAt: evaluationRuns.withdrawnAt, releaseId: submissions.releaseId, split: submissions.split })
    .from(evaluationRuns)
    .innerJoin(submissions, eq(submissions.id, evaluationRuns.submissionId))
    .innerJoin(models, eq(models.id, submissions.modelId))
    .where(and(eq(evaluationRuns.id, runId), eq(models.teamId, teamId)));
  if (!row) return { ok: false, status: 404, reason: `Run ${runId} is not a run of this team.` };
  if (row.status !== 'succeeded') return { ok: false, status: 409, reason: `Run ${runId} has not finished with a result; there is nothing to withdraw.` };
  const updated = await db
    .update(evaluationRuns)
    .set({ withdrawnAt: now, withdrawnBy: userId })
    .where(and(eq(evaluationRuns.id, runId), isNull(evaluationRuns.withdrawnAt)))
    .returning({ id: evaluationRuns.id });
  if (updated.length === 0) return { ok: false, status: 409, reason: `Run ${runId} was withdrawn already.` };
  return { ok: true, releaseId: row.releaseId, split: row.split };
}
