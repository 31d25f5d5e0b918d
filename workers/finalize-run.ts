import type { Database } from '../db/client';
import { insertLeaderboardRow } from '../db/queries/leaderboard';
import { listItemResults, loadRunContext, markRunFinished } from '../db/queries/runs';
import { SCORER_VERSION } from './score-output';

/**
 * Aggregates a run whose shards are all done into its leaderboard row and marks it succeeded.
 * Throws if items are missing, so the engine retries instead of publishing a partial score.
 */
export async function finalizeRun(db: Database, runId: number): Promise<void> {
  const ctx = await loadRunContext(db, runId);
  if (!ctx || ctx.run.status === 'failed' || ctx.run.status === 'succeeded') return;
  const results = await listItemResults(db, runId);
  if (results.length < ctx.run.totalItems) {
    throw new Error(`Run ${runId} has ${results.length} of ${ctx.run.totalItems} items committed; not finalising.`);
  }
  const scored = results.filter((r) => r.score !== null);
  const accuracy = scored.length === 0 ? 0 : (100 * scored.reduce((s, r) => s + (r.score ?? 0), 0)) / scored.length;
  await insertLeaderboardRow(db, {
    runId,
    releaseId: ctx.release.id,
    modelId: ctx.model.id,
    split: ctx.submission.split,
    score: accuracy,
    nItems: scored.length,
    breakdown: { mcqAccuracy: accuracy },
    scorerVersion: SCORER_VERSION,
    releaseHash: ctx.release.contentHash,
  });
  await markRunFinished(db, runId, { status: 'succeeded' });
}
