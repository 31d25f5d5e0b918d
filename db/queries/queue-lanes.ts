import { and, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Database } from '../client';
import { evaluationRuns, models, submissions, teams } from '../schema';
import type { RunLane } from '../../workers/queue-fairness';

/**
 * A run's turn in the fair queue (workers/queue-fairness.ts): the runs of the same team and split submitted before
 * it that were not finished when it was submitted. Fixed once the run exists, so the queue page, the in-process
 * engine and BullMQ's priorities agree.
 */
const turnOf = sql<number>`(
  select count(*)::int from ${evaluationRuns} o
  join ${submissions} os on os.id = o.submission_id
  join ${models} om on om.id = os.model_id
  where om.team_id = ${models.teamId} and os.split = ${submissions.split} and o.id < ${evaluationRuns.id}
    and (o.finished_at is null or o.finished_at > ${evaluationRuns.createdAt})
)`;

/** A run's lane: its split, its team and its turn. */
export async function runLane(db: Database, runId: number): Promise<RunLane | undefined> {
  const [lane] = await db
    .select({ split: submissions.split, teamId: models.teamId, turn: turnOf })
    .from(evaluationRuns)
    .innerJoin(submissions, eq(submissions.id, evaluationRuns.submissionId))
    .innerJoin(models, eq(models.id, submissions.modelId))
    .where(eq(evaluationRuns.id, runId));
  return lane ? { ...lane, turn: Number(lane.turn) } : undefined;
}

/** Runs waiting or running, with their lane, for the public queue page. */
export async function listQueueRuns(db: Database) {
  const rows = await db
    .select({
      runId: evaluationRuns.id,
      status: evaluationRuns.status,
      doneItems: evaluationRuns.doneItems,
      totalItems: evaluationRuns.totalItems,
      modelName: models.name,
      teamName: teams.name,
      teamId: models.teamId,
      split: submissions.split,
      turn: turnOf,
    })
    .from(evaluationRuns)
    .innerJoin(submissions, eq(submissions.id, evaluationRuns.submissionId))
    .innerJoin(models, eq(models.id, submissions.modelId))
    .innerJoin(teams, eq(teams.id, models.teamId))
    .where(inArray(evaluationRuns.status, ['queued', 'running']))
    .orderBy(evaluationRuns.id);
  return rows.map((r) => ({ ...r, turn: Number(r.turn) }));
}

/** Mean wall time (ms) of the last `n` succeeded runs, or null without any: the queue's estimates go by it. */
export async function meanRecentRunMs(db: Database, n = 20): Promise<number | null> {
  const recent = db
    .select({ ms: sql<number>`extract(epoch from (${evaluationRuns.finishedAt} - ${evaluationRuns.startedAt})) * 1000`.as('ms') })
    .from(evaluationRuns)
    .where(and(eq(evaluationRuns.status, 'succeeded'), isNotNull(evaluationRuns.startedAt), isNotNull(evaluationRuns.finishedAt)))
    .orderBy(desc(evaluationRuns.finishedAt))
    .limit(n)
    .as('recent');
  const [row] = await db.select({ mean: sql<number | null>`avg(${recent.ms})` }).from(recent);
  return row?.mean === null || row?.mean === undefined ? null : Number(row.mean);
}
