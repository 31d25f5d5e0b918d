import type { Database } from '../db/client';
import { insertLeaderboardRow } from '../db/queries/leaderboard';
import { listItemResults, loadRunContext } from '../db/queries/runs';
import { aggregateRun, type RunAggregate } from '../evaluator/scoring';
import { summarizeBoardViews } from '../evaluator/scoring/board-views';
import { rankBoard } from './rank-board';

/** The aggregate as the public may see it: item ids of unscored reports stay on the server. */
export function publicAggregate(aggregate: RunAggregate) {
  return { ...aggregate, unscored: { count: aggregate.unscored.count } };
}

/** Aggregates a run's stored item scores (overall, parts, breakdowns, intervals) into its leaderboard row, then re-ranks its board. */
export async function publishRunScore(db: Database, runId: number): Promise<RunAggregate> {
  const ctx = await loadRunContext(db, runId);
  if (!ctx) throw new Error(`Run ${runId} does not exist.`);
  const scores = (await listItemResults(db, runId)).flatMap((r) => (r.detail ? [r.detail] : []));
  const aggregate = aggregateRun(scores);
  await insertLeaderboardRow(db, {
    runId,
    releaseId: ctx.release.id,
    modelId: ctx.model.id,
    split: ctx.submission.split,
    score: aggregate.overall?.score ?? 0,
    nItems: scores.length,
    breakdown: publicAggregate(aggregate),
    views: summarizeBoardViews(scores, aggregate.reportMethod),
    scorerVersion: aggregate.scorerVersion,
    releaseHash: ctx.release.contentHash,
  });
  await rankBoard(db, ctx.release.id, ctx.submission.split);
  return aggregate;
}
