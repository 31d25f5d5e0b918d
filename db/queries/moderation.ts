import { and, desc, eq, sql } from 'drizzle-orm';
import type { Database } from '../client';
import { evaluationRuns, leaderboardRows, models, releases, runModeration, submissions, teams } from '../schema';
import { recordAudit } from './audit';

export const MODERATION_ACTIONS = ['verify', 'unverify', 'flag', 'hide', 'restore'] as const;
export type ModerationAction = (typeof MODERATION_ACTIONS)[number];

/** What the public sees of a run's moderation (the hidden reason stays with maintainers). */
export interface PublicModeration {
  verified: boolean;
  /** Set when maintainers flagged the run; shown beside its row. */
  flagReason: string | null;
}

/** A moderation request that cannot be done; the message names the field. */
export class ModerationError extends Error {
  constructor(
    readonly field: 'runId' | 'action' | 'reason',
    message: string,
  ) {
    super(message);
    this.name = 'ModerationError';
  }
}

const REASON_NEEDED: ReadonlySet<ModerationAction> = new Set(['flag', 'hide', 'restore']);

/**
 * Verifies, unverifies, flags (with a public reason), hides or restores a scored run, and records it in the
 * audit log in the same transaction. Nothing is deleted: a hidden run keeps its scores and stays listed
 * for maintainers. Returns the run's board, which the caller re-ranks (a hidden run no longer counts).
 */
export async function moderateRun(
  db: Database,
  input: { runId: number; action: string; reason?: string | null; actor: string },
): Promise<{ releaseId: number; split: 'dev' | 'test' }> {
  const action = input.action as ModerationAction;
  if (!MODERATION_ACTIONS.includes(action)) throw new ModerationError('action', `Unknown moderation action "${input.action}".`);
  const reason = input.reason?.trim() || null;
  if (REASON_NEEDED.has(action) && !reason) throw new ModerationError('reason', `A reason is required to ${action} a run.`);
  if (reason && reason.length > 500) throw new ModerationError('reason', 'The reason is longer than 500 characters.');
  const [run] = await db
    .select({ status: evaluationRuns.status, releaseId: submissions.releaseId, split: submissions.split, scored: leaderboardRows.id })
    .from(evaluationRuns)
    .innerJoin(submissions, eq(submissions.id, evaluationRuns.submissionId))
    .leftJoin(leaderboardRows, eq(leaderboardRows.runId, evaluationRuns.id))
    .where(eq(evaluationRuns.id, input.runId));
  if (!run) throw new ModerationError('runId', `Run ${input.runId} does not exist.`);
  if (run.status !== 'succeeded' || run.scored === null) throw new ModerationError('runId', `Run ${input.runId} is not a scored run (it is ${run.status}).`);

  await db.transaction(async (tx) => {
    const [before] = await tx.select().from(runModeration).where(eq(runModeration.runId, input.runId));
    const next = {
      verified: action === 'verify' ? true : action === 'unverify' ? false : (before?.verified ?? false),
      flagReason: action === 'flag' ? reason : action === 'restore' ? null : (before?.flagReason ?? null),
      hidden: action === 'hide' ? true : action === 'restore' ? false : (before?.hidden ?? false),
      hiddenReason: action === 'hide' ? reason : action === 'restore' ? null : (before?.hiddenReason ?? null),
    };
    await tx
      .insert(runModeration)
      .values({ runId: input.runId, ...next, updatedBy: input.actor })
      .onConflictDoUpdate({ target: runModeration.runId, set: { ...next, updatedBy: input.actor, updatedAt: sql`now()` } });
    await recordAudit(tx, {
      actor: input.actor,
      action: `run.${action}`,
      subject: `run:${input.runId}`,
      reason,
      details: {
        before: before ? { verified: before.verified, flagReason: before.flagReason, hidden: before.hidden } : null,
        after: { verified: next.verified, flagReason: next.flagReason, hidden: next.hidden },
      },
    });
  });
  return { releaseId: run.releaseId, split: run.split };
}

/** Scored runs with their moderation, newest first, for the maintainers' moderation page. */
export async function listModeratableRuns(db: Database, opts: { releaseId?: number; limit?: number } = {}) {
  const rows = await db
    .select({
      runId: evaluationRuns.id,
      split: submissions.split,
      modelName: models.name,
      teamName: teams.name,
      releaseName: releases.name,
      releaseVersion: releases.version,
      score: leaderboardRows.score,
      finishedAt: evaluationRuns.finishedAt,
      verified: runModeration.verified,
      flagReason: runModeration.flagReason,
      hidden: runModeration.hidden,
      hiddenReason: runModeration.hiddenReason,
      moderatedBy: runModeration.updatedBy,
    })
    .from(leaderboardRows)
    .innerJoin(evaluationRuns, eq(evaluationRuns.id, leaderboardRows.runId))
    .innerJoin(submissions, eq(submissions.id, evaluationRuns.submissionId))
    .innerJoin(models, eq(models.id, submissions.modelId))
    .innerJoin(teams, eq(teams.id, models.teamId))
    .innerJoin(releases, eq(releases.id, submissions.releaseId))
    .leftJoin(runModeration, eq(runModeration.runId, evaluationRuns.id))
    .where(and(opts.releaseId ? eq(releases.id, opts.releaseId) : undefined))
    .orderBy(desc(evaluationRuns.id))
    .limit(opts.limit ?? 200);
  return rows.map((r) => ({ ...r, verified: r.verified ?? false, hidden: r.hidden ?? false }));
}

/** How many runs maintainers hid from a board: the board says so, so nothing disappears silently. */
export async function countHiddenRuns(db: Database, releaseId: number, split: 'dev' | 'test'): Promise<number> {
  const rows = await db
    .select({ runId: runModeration.runId })
    .from(runModeration)
    .innerJoin(leaderboardRows, eq(leaderboardRows.runId, runModeration.runId))
    .where(and(eq(runModeration.hidden, true), eq(leaderboardRows.releaseId, releaseId), eq(leaderboardRows.split, split)));
  return rows.length;
}
