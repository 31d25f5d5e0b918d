import { and, count, desc, eq, inArray, sql } from 'drizzle-orm';
import { executeRows, type Database } from '../client';
import { evaluationRuns, itemResults, items, models, releases, submissions, teams } from '../schema';
import type { ItemScore } from '../../evaluator/scoring/item-score';

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
      runtimeInfo: evaluationRuns.runtimeInfo,
      split: submissions.split,
      modelId: models.id,
      modelName: models.name,
      teamId: teams.id,
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

export async function setRunTotal(db: Database, runId: number, totalItems: number) {
  await db.update(evaluationRuns).set({ totalItems }).where(eq(evaluationRuns.id, runId));
}

/** Moves a queued run to running; true for the one caller that made the move (shards race to it). */
export async function markRunRunning(db: Database, runId: number): Promise<boolean> {
  const moved = await db
    .update(evaluationRuns)
    .set({ status: 'running', startedAt: sql`coalesce(${evaluationRuns.startedAt}, now())` })
    .where(and(eq(evaluationRuns.id, runId), eq(evaluationRuns.status, 'queued')))
    .returning({ id: evaluationRuns.id });
  return moved.length > 0;
}

export async function markRunFinished(
  db: Database,
  runId: number,
  outcome: { status: 'succeeded' } | { status: 'failed'; errorCode: string; errorMessage: string; platformFault: boolean },
): Promise<boolean> {
  // Only an unfinished run can end, and only once: concurrent shards may race to fail it.
  const updated = await db
    .update(evaluationRuns)
    .set({
      status: outcome.status,
      errorCode: outcome.status === 'failed' ? outcome.errorCode : null,
      errorMessage: outcome.status === 'failed' ? outcome.errorMessage : null,
      platformFault: outcome.status === 'failed' ? outcome.platformFault : false,
      finishedAt: new Date(),
    })
    .where(and(eq(evaluationRuns.id, runId), inArray(evaluationRuns.status, ['queued', 'running'])))
    .returning({ id: evaluationRuns.id });
  return updated.length > 0;
}

export type NewItemResult = typeof itemResults.$inferInsert;

/**
 * Commits item results and returns the run's new count of done items. Results already committed are
 * skipped (the unique run/item index), so a re-delivered item is never counted twice.
 */
export async function commitItemResults(db: Database, results: NewItemResult[]): Promise<number> {
  if (results.length === 0) throw new Error('commitItemResults needs at least one result');
  const runId = results[0].runId;
  // One statement, one parameter: the query builder spends ~0.5 ms of CPU per 25-row insert binding every
  // value, which was the fleet's largest per-item cost. A single statement is atomic without a transaction.
  const rows = JSON.stringify(
    results.map((r) => ({
      run_id: r.runId,
      item_id: r.itemId,
      raw_output: r.rawOutput ?? null,
      score: r.score ?? null,
      detail: r.detail ?? null,
      error_code: r.errorCode ?? null,
      scorer_version: r.scorerVersion,
    })),
  );
  const [run] = await executeRows<{ done_items: number }>(
    db,
    sql`with inserted as (
      insert into item_results (run_id, item_id, raw_output, score, detail, error_code, scorer_version)
      select run_id, item_id, raw_output, score, detail, error_code, scorer_version
      from jsonb_to_recordset(${rows}::jsonb) as x(run_id integer, item_id integer, raw_output text,
        score double precision, detail jsonb, error_code text, scorer_version text)
      on conflict (run_id, item_id) do nothing
      returning 1
    )
    update evaluation_runs set done_items = done_items + (select count(*) from inserted)::integer
    where id = ${runId} returning done_items`,
  );
  if (!run) throw new Error(`commitItemResults: run ${runId} does not exist`);
  return run.done_items;
}

export async function getRunStatus(db: Database, runId: number) {
  const [row] = await db
    .select({ status: evaluationRuns.status, doneItems: evaluationRuns.doneItems, totalItems: evaluationRuns.totalItems })
    .from(evaluationRuns)
    .where(eq(evaluationRuns.id, runId));
  return row;
}

export async function listItemResults(db: Database, runId: number) {
  return db.select().from(itemResults).where(eq(itemResults.runId, runId));
}

export async function countItemResults(db: Database, runId: number): Promise<number> {
  const [row] = await db.select({ n: count() }).from(itemResults).where(eq(itemResults.runId, runId));
  return row.n;
}

/** Runs with their model and team, for public listings (status and progress only). */
function runListing(db: Database) {
  return db
    .select({
      id: evaluationRuns.id,
      status: evaluationRuns.status,
      doneItems: evaluationRuns.doneItems,
      totalItems: evaluationRuns.totalItems,
      createdAt: evaluationRuns.createdAt,
      modelName: models.name,
      teamName: teams.name,
      split: submissions.split,
    })
    .from(evaluationRuns)
    .innerJoin(submissions, eq(submissions.id, evaluationRuns.submissionId))
    .innerJoin(models, eq(models.id, submissions.modelId))
    .innerJoin(teams, eq(teams.id, models.teamId))
    .$dynamic();
}

export async function listRecentRuns(db: Database, limit = 20) {
  return runListing(db).orderBy(desc(evaluationRuns.id)).limit(limit);
}

/** Runs waiting or running, oldest first: the public queue. */
export async function listActiveRuns(db: Database) {
  return runListing(db).where(inArray(evaluationRuns.status, ['queued', 'running'])).orderBy(evaluationRuns.id);
}

export async function listUnfinishedRunIds(db: Database): Promise<number[]> {
  const rows = await db
    .select({ id: evaluationRuns.id })
    .from(evaluationRuns)
    .where(inArray(evaluationRuns.status, ['queued', 'running']));
  return rows.map((r) => r.id);
}

/** Per-item log of a public dev-split run (never called for the hidden split). */
/** One page of a dev run's per-item log, in item order, and how many items the log holds. */
export async function listDevItemLog(db: Database, runId: number, page: { offset: number; limit: number }) {
  const where = and(eq(itemResults.runId, runId), eq(items.split, 'dev'));
  const rows = await db
    .select({ itemKey: items.itemKey, payload: items.payload, rawOutput: itemResults.rawOutput, score: itemResults.score, detail: itemResults.detail })
    .from(itemResults)
    .innerJoin(items, eq(items.id, itemResults.itemId))
    .where(where)
    .orderBy(items.ordinal)
    .offset(page.offset)
    .limit(page.limit);
  const [{ n }] = await db.select({ n: count() }).from(itemResults).innerJoin(items, eq(items.id, itemResults.itemId)).where(where);
  return { rows, total: n };
}

/** A run's stored outputs beside their items: what judging and re-scoring read. Internal only. */
export async function listResultsWithItems(db: Database, runId: number) {
  return db
    .select({
      resultId: itemResults.id,
      itemId: itemResults.itemId,
      rawOutput: itemResults.rawOutput,
      detail: itemResults.detail,
      payload: items.payload,
    })
    .from(itemResults)
    .innerJoin(items, eq(items.id, itemResults.itemId))
    .where(eq(itemResults.runId, runId))
    .orderBy(items.ordinal);
}

export async function updateItemScore(
  db: Database,
  resultId: number,
  values: { score: number | null; detail: ItemScore; scorerVersion: string },
) {
  await db.update(itemResults).set(values).where(eq(itemResults.id, resultId));
}

export async function listSucceededRunIds(db: Database): Promise<number[]> {
  const rows = await db.select({ id: evaluationRuns.id }).from(evaluationRuns).where(eq(evaluationRuns.status, 'succeeded'));
  return rows.map((r) => r.id);
}
