import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../client';
import { evaluationRuns, itemResults, models, releases, submissions, teams } from '../schema';

export type RunRow = typeof evaluationRuns.$inferSelect;

/** Everything a worker needs to evaluate a run, in one read. */
export async function loadRunContext(db: Database, runId: number) {
  const [row] = await db
    .select({ run: evaluationRuns, submission: submissions, model: models, release: releases })
    .from(evaluationRuns)
    .innerJoin(submissions, eq(submissions.id, evaluationRuns.submissionId))
    .innerJoin(models, eq(models.id, submissions.modelId))
    .innerJoin(releases, eq(releases.id, submissions.releaseId))
    .where(eq(evaluationRuns.id, runId));
  return row;
}

/** The public view of a run: status and aggregate only (no per-item data). */
export async function getRunSummary(db: Database, runId: number) {
  const [row] = await db
    .select({
      id: evaluationRuns.id,
      status: evaluationRuns.status,
      totalItems: evaluationRuns.totalItems,
      doneItems: evaluationRuns.doneItems,
      errorCode: evaluationRuns.errorCode,
      errorMessage: evaluationRuns.errorMessage,
      createdAt: evaluationRuns.createdAt,
      finishedAt: evaluationRuns.finishedAt,
      split: submissions.split,
      modelName: models.name,
      teamName: teams.name,
      releaseName: releases.name,
      releaseVersion: releases.version,
    })
    .from(evaluationRuns)
    .innerJoin(submissions, eq(submissions.id, evaluationRuns.submissionId))
    .innerJoin(models, eq(models.id, submissions.modelId))
    .innerJoin(teams, eq(teams.id, models.teamId))
    .innerJoin(releases, eq(releases.id, submissions.releaseId))
    .where(eq(evaluationRuns.id, runId));
  return row;
}

export async function markRunRunning(db: Database, runId: number, totalItems: number) {
  await db
    .update(evaluationRuns)
    .set({ status: 'running', totalItems, startedAt: sql`coalesce(${evaluationRuns.startedAt}, now())` })
    .where(eq(evaluationRuns.id, runId));
}

export async function markRunFinished(
  db: Database,
  runId: number,
  outcome: { status: 'succeeded' } | { status: 'failed'; errorCode: string; errorMessage: string },
) {
  await db
    .update(evaluationRuns)
    .set({
      status: outcome.status,
      errorCode: outcome.status === 'failed' ? outcome.errorCode : null,
      errorMessage: outcome.status === 'failed' ? outcome.errorMessage : null,
      finishedAt: new Date(),
    })
    .where(eq(evaluationRuns.id, runId));
}

export type NewItemResult = typeof itemResults.$inferInsert;

/** Commits one item's result; a re-delivered item is ignored so nothing is counted twice. */
export async function commitItemResult(db: Database, result: NewItemResult): Promise<void> {
  await db.transaction(async (tx) => {
    const inserted = await tx
      .insert(itemResults)
      .values(result)
      .onConflictDoNothing({ target: [itemResults.runId, itemResults.itemId] })
      .returning({ id: itemResults.id });
    if (inserted.length > 0) {
      await tx
        .update(evaluationRuns)
        .set({ doneItems: sql`${evaluationRuns.doneItems} + 1` })
        .where(eq(evaluationRuns.id, result.runId));
    }
  });
}

export async function listItemResults(db: Database, runId: number) {
  return db.select().from(itemResults).where(eq(itemResults.runId, runId));
}

export async function listRecentRuns(db: Database, limit = 20) {
  return db
    .select({
      id: evaluationRuns.id,
      status: evaluationRuns.status,
      doneItems: evaluationRuns.doneItems,
      totalItems: evaluationRuns.totalItems,
      modelName: models.name,
      teamName: teams.name,
      split: submissions.split,
      createdAt: evaluationRuns.createdAt,
    })
    .from(evaluationRuns)
    .innerJoin(submissions, eq(submissions.id, evaluationRuns.submissionId))
    .innerJoin(models, eq(models.id, submissions.modelId))
    .innerJoin(teams, eq(teams.id, models.teamId))
    .orderBy(desc(evaluationRuns.id))
    .limit(limit);
}

export async function listUnfinishedRunIds(db: Database): Promise<number[]> {
  const rows = await db
    .select({ id: evaluationRuns.id })
    .from(evaluationRuns)
    .where(inArray(evaluationRuns.status, ['queued', 'running']));
  return rows.map((r) => r.id);
}

export async function findRunsForModel(db: Database, modelId: number) {
  return db
    .select({ id: evaluationRuns.id, status: evaluationRuns.status })
    .from(evaluationRuns)
    .innerJoin(submissions, and(eq(submissions.id, evaluationRuns.submissionId), eq(submissions.modelId, modelId)));
}
