import type { Database } from '../db/client';
import { insertLeaderboardRow } from '../db/queries/leaderboard';
import { listItemResults, loadRunContext } from '../db/queries/runs';
import { aggregateRun, type RunAggregate } from '../evaluator/scoring';
import { summarizeBoardViews } from '../evaluator/scoring/board-views';
import { bestReleasedTeamRun, pairedItemScores } from '../db/queries/ladder';
import { DEFAULT_LADDER_Z, ladderDecision } from '../evaluator/scoring/ladder';
import { rankBoard } from './rank-board';

/** The aggregate as the public may see it: item ids of unscored reports stay on the server. */
export function publicAggregate(aggregate: RunAggregate) {
  return { ...aggregate, unscored: { count: aggregate.unscored.count } };
}

/**
 * The Ladder's verdict for a hidden-split run of a team (the platform's baselines are always shown): released
 * only past a significant paired gain over the team's best released run on the release.
 */
async function ladderFor(db: Database, ctx: NonNullable<Awaited<ReturnType<typeof loadRunContext>>>, z: number) {
  if (ctx.submission.split !== 'test' || ctx.model.isBaseline) return { released: true, ladder: null };
  const best = await bestReleasedTeamRun(db, ctx.model.teamId, ctx.release.id, ctx.run.id);
  if (!best) return { released: true, ladder: null };
  const paired = await pairedItemScores(db, ctx.run.id, best.runId);
  const decision = ladderDecision(paired.run, paired.other, z);
  return { released: decision.released, ladder: { bestRunId: best.runId, meanGain: decision.meanGain, threshold: decision.threshold, z } };
}

/**
 * Aggregates a run's stored item scores (overall, parts, breakdowns, intervals) into its leaderboard row, then
 * re-ranks its board. `ladderZ`: the Ladder's margin for hidden-split runs (0 turns it off).
 */
export async function publishRunScore(db: Database, runId: number, ladderZ = DEFAULT_LADDER_Z): Promise<RunAggregate> {
  const ctx = await loadRunContext(db, runId);
  if (!ctx) throw new Error(`Run ${runId} does not exist.`);
  const scores = (await listItemResults(db, runId)).flatMap((r) => (r.detail ? [r.detail] : []));
  const aggregate = aggregateRun(scores);
  await insertLeaderboardRow(db, {
    ...(await ladderFor(db, ctx, ladderZ)),
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
