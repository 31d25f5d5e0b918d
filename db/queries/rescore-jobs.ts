import { and, asc, desc, eq, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../client';
import {
  evaluationRuns,
  leaderboardRows,
  models,
  releases,
  rescoreChanges,
  rescoreJobs,
  runModeration,
  submissions,
  teams,
  type BoardRowState,
} from '../schema';
import { recordAudit } from './audit';
import { reportScoringOf } from './leaderboard';
import type { RescoreChange } from '../../workers/rescore-changelog';

export type RescoreJob = typeof rescoreJobs.$inferSelect;

/** A re-score that may not start (another one of the release is unfinished, or the release is a draft). */
export class RescoreConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RescoreConflictError';
  }
}

type Reader = Pick<Database, 'select'>;

/** Every leaderboard row of a release (both splits, withheld rows too) as a re-score compares them. */
export async function boardRowStates(db: Reader, releaseId: number): Promise<BoardRowState[]> {
  const rows = await db
    .select({
      runId: leaderboardRows.runId,
      modelId: leaderboardRows.modelId,
      split: leaderboardRows.split,
      score: leaderboardRows.score,
      rank: leaderboardRows.rank,
      rankLow: leaderboardRows.rankLow,
      rankHigh: leaderboardRows.rankHigh,
      released: leaderboardRows.released,
      scorerVersion: leaderboardRows.scorerVersion,
      breakdown: leaderboardRows.breakdown,
    })
    .from(leaderboardRows)
    .where(eq(leaderboardRows.releaseId, releaseId))
    .orderBy(asc(leaderboardRows.runId));
  return rows.map(({ breakdown, ...r }) => {
    const agg = breakdown as { overall?: { ci?: [number, number] } | null; reportMethod: 'judge' | 'deterministic' | null; judge: { model: string; modelVersion: string; configVersion?: string } | null };
    return { ...r, ci: agg.overall?.ci ?? null, reportScoring: reportScoringOf(agg) };
  });
}

const releaseSubject = (r: { name: string; version: string }) => `release:${r.name}@${r.version}`;

/**
 * Creates a re-score job of a release's finished runs and records rescore.start, in one transaction. The board as
 * it stands now is kept with the job: the changelog compares against it even when the job is resumed.
 */
export async function createRescoreJob(
  db: Database,
  input: { releaseId: number; actor: string; reason?: string | null; scorerVersion: string },
): Promise<RescoreJob> {
  return db.transaction(async (tx) => {
    const [release] = await tx.select().from(releases).where(eq(releases.id, input.releaseId));
    if (!release) throw new RescoreConflictError(`Release ${input.releaseId} does not exist.`);
    if (release.status === 'draft') throw new RescoreConflictError(`${release.name} ${release.version} is a draft: it has no scored runs to re-score.`);
    const [open] = await tx
      .select({ id: rescoreJobs.id })
      .from(rescoreJobs)
      .where(and(eq(rescoreJobs.releaseId, input.releaseId), inArray(rescoreJobs.status, ['queued', 'running'])));
    if (open) throw new RescoreConflictError(`Re-score #${open.id} of ${release.name} ${release.version} is not finished yet.`);
    const runs = await tx
      .select({ id: evaluationRuns.id })
      .from(evaluationRuns)
      .innerJoin(submissions, eq(submissions.id, evaluationRuns.submissionId))
      .where(and(eq(submissions.releaseId, input.releaseId), eq(evaluationRuns.status, 'succeeded')))
      .orderBy(asc(evaluationRuns.id));
    const before = await boardRowStates(tx, input.releaseId);
    const [job] = await tx
      .insert(rescoreJobs)
      .values({ releaseId: input.releaseId, startedBy: input.actor, reason: input.reason?.trim() || null, runIds: runs.map((r) => r.id), before, scorerVersion: input.scorerVersion })
      .returning();
    await recordAudit(tx, {
      actor: input.actor,
      action: 'rescore.start',
      subject: releaseSubject(release),
      reason: input.reason,
      details: { job: job.id, runs: job.runIds.length, scorerVersion: input.scorerVersion },
    });
    return job;
  });
}

export async function getRescoreJob(db: Database, jobId: number): Promise<RescoreJob | undefined> {
  const [job] = await db.select().from(rescoreJobs).where(eq(rescoreJobs.id, jobId));
  return job;
}

export async function markRescoreRunning(db: Database, jobId: number): Promise<void> {
  await db
    .update(rescoreJobs)
    .set({ status: 'running', startedAt: sql`coalesce(${rescoreJobs.startedAt}, now())` })
    .where(and(eq(rescoreJobs.id, jobId), inArray(rescoreJobs.status, ['queued', 'running'])));
}

/** Records one run as re-scored: a resumed job starts after it. */
export async function markRescoreRunDone(db: Database, jobId: number, runId: number): Promise<void> {
  await db
    .update(rescoreJobs)
    .set({ doneRunIds: sql`${rescoreJobs.doneRunIds} || to_jsonb(${runId}::int)` })
    .where(and(eq(rescoreJobs.id, jobId), sql`not (${rescoreJobs.doneRunIds} @> to_jsonb(${runId}::int))`));
}

/** Writes the job's changelog (replacing any a killed try left), finishes it and records rescore.finish. */
export async function finishRescoreJob(db: Database, job: RescoreJob, changes: RescoreChange[], itemScoresChanged: number): Promise<void> {
  await db.transaction(async (tx) => {
    const [release] = await tx.select().from(releases).where(eq(releases.id, job.releaseId));
    await tx.delete(rescoreChanges).where(eq(rescoreChanges.jobId, job.id));
    if (changes.length > 0) {
      await tx.insert(rescoreChanges).values(
        changes.map((c) => ({
          jobId: job.id,
          runId: c.runId,
          modelId: c.modelId,
          split: c.split,
          oldScore: c.before?.score ?? null,
          newScore: c.after?.score ?? null,
          oldCi: c.before?.ci ?? null,
          newCi: c.after?.ci ?? null,
          oldRank: c.before?.rank ?? null,
          newRank: c.after?.rank ?? null,
          oldRankLow: c.before?.rankLow ?? null,
          oldRankHigh: c.before?.rankHigh ?? null,
          newRankLow: c.after?.rankLow ?? null,
          newRankHigh: c.after?.rankHigh ?? null,
          oldReleased: c.before?.released ?? false,
          newReleased: c.after?.released ?? false,
          oldScorerVersion: c.before?.scorerVersion ?? null,
          newScorerVersion: c.after?.scorerVersion ?? null,
          oldReportScoring: c.before?.reportScoring ?? null,
          newReportScoring: c.after?.reportScoring ?? null,
          reasons: c.reasons,
        })),
      );
    }
    const [done] = await tx
      .update(rescoreJobs)
      .set({ status: 'finished', finishedAt: new Date(), error: null })
      .where(and(eq(rescoreJobs.id, job.id), inArray(rescoreJobs.status, ['queued', 'running'])))
      .returning({ id: rescoreJobs.id });
    if (!done) return;
    await recordAudit(tx, {
      actor: 'system',
      action: 'rescore.finish',
      subject: release ? releaseSubject(release) : `release:${job.releaseId}`,
      details: { job: job.id, runs: job.runIds.length, rowsMoved: changes.length, itemScoresChanged, startedBy: job.startedBy },
    });
  });
}

export async function failRescoreJob(db: Database, jobId: number, error: string): Promise<void> {
  await db.update(rescoreJobs).set({ status: 'failed', error, finishedAt: new Date() }).where(eq(rescoreJobs.id, jobId));
}

/** Jobs a queue engine should hold: queued or running (a restart lost the in-process ones). */
export async function listUnfinishedRescoreJobIds(db: Database): Promise<number[]> {
  const rows = await db.select({ id: rescoreJobs.id }).from(rescoreJobs).where(inArray(rescoreJobs.status, ['queued', 'running'])).orderBy(asc(rescoreJobs.id));
  return rows.map((r) => r.id);
}

/** The newest re-scores, with their release, for the console. */
export async function listRescoreJobs(db: Database, limit = 20) {
  return db
    .select({
      id: rescoreJobs.id,
      release: sql<string>`${releases.name} || ' ' || ${releases.version}`,
      releaseName: releases.name,
      releaseVersion: releases.version,
      status: rescoreJobs.status,
      startedBy: rescoreJobs.startedBy,
      reason: rescoreJobs.reason,
      total: sql<number>`jsonb_array_length(${rescoreJobs.runIds})`,
      done: sql<number>`jsonb_array_length(${rescoreJobs.doneRunIds})`,
      error: rescoreJobs.error,
      createdAt: rescoreJobs.createdAt,
      finishedAt: rescoreJobs.finishedAt,
    })
    .from(rescoreJobs)
    .innerJoin(releases, eq(releases.id, rescoreJobs.releaseId))
    .orderBy(desc(rescoreJobs.id))
    .limit(limit);
}

/**
 * Changelog rows the public may see: rows shown on a board now (released by the Ladder, not hidden by maintainers,
 * not withdrawn). The old numbers of a row the Ladder withheld before are not shown (the caller blanks them).
 */
function publicChanges(db: Database, where: SQL | undefined) {
  return db
    .select({
      jobId: rescoreChanges.jobId,
      finishedAt: rescoreJobs.finishedAt,
      jobReason: rescoreJobs.reason,
      releaseName: releases.name,
      releaseVersion: releases.version,
      change: rescoreChanges,
      modelName: models.name,
      teamName: teams.name,
    })
    .from(rescoreChanges)
    .innerJoin(rescoreJobs, eq(rescoreJobs.id, rescoreChanges.jobId))
    .innerJoin(releases, eq(releases.id, rescoreJobs.releaseId))
    .innerJoin(models, eq(models.id, rescoreChanges.modelId))
    .innerJoin(teams, eq(teams.id, models.teamId))
    .innerJoin(evaluationRuns, eq(evaluationRuns.id, rescoreChanges.runId))
    .leftJoin(runModeration, eq(runModeration.runId, rescoreChanges.runId))
    .where(
      and(
        where,
        eq(rescoreJobs.status, 'finished'),
        eq(rescoreChanges.newReleased, true),
        isNull(evaluationRuns.withdrawnAt),
        or(isNull(runModeration.hidden), eq(runModeration.hidden, false)),
      ),
    );
}

/** The finished re-scores of a release, newest first, and what each moved in public. */
export async function listReleaseChangelog(db: Database, releaseId: number) {
  const jobs = await db
    .select({ id: rescoreJobs.id, reason: rescoreJobs.reason, finishedAt: rescoreJobs.finishedAt, scorerVersion: rescoreJobs.scorerVersion, runs: sql<number>`jsonb_array_length(${rescoreJobs.runIds})` })
    .from(rescoreJobs)
    .where(and(eq(rescoreJobs.releaseId, releaseId), eq(rescoreJobs.status, 'finished')))
    .orderBy(desc(rescoreJobs.id));
  const rows =
    jobs.length === 0
      ? []
      : await publicChanges(db, inArray(rescoreChanges.jobId, jobs.map((j) => j.id))).orderBy(
          asc(rescoreChanges.split),
          asc(rescoreChanges.newRank),
          asc(rescoreChanges.runId),
        );
  return jobs.map((j) => ({ ...j, changes: rows.filter((r) => r.jobId === j.id) }));
}

/** A model's score history from re-scores (older numbers stay visible on its page), newest first. */
export async function listModelRescoreHistory(db: Database, modelId: number) {
  return publicChanges(db, eq(rescoreChanges.modelId, modelId)).orderBy(desc(rescoreChanges.jobId), asc(rescoreChanges.runId));
}
