import type { Database } from '../db/client';
import { countItemResults, loadRunContext, markRunFinished } from '../db/queries/runs';
import type { JudgeConfig } from '../evaluator/judge';
import { judgeRunReports } from './judge-reports';
import { runsFinished } from './metrics';
import { publishRunScore } from './publish-run-score';

/**
 * Finishes a run whose shards are all done: judges its reports when a judge is configured, publishes its
 * leaderboard row and marks it succeeded. Throws if items are missing, so the engine retries instead of
 * publishing a partial score.
 */
export async function finalizeRun(db: Database, runId: number, judge: JudgeConfig | null, ladderZ?: number): Promise<void> {
  const ctx = await loadRunContext(db, runId);
  if (!ctx || ctx.run.status === 'failed' || ctx.run.status === 'succeeded') return;
  const committed = await countItemResults(db, runId);
  if (committed < ctx.run.totalItems) {
    throw new Error(`Run ${runId} has ${committed} of ${ctx.run.totalItems} items committed; not finalising.`);
  }
  if (judge) await judgeRunReports(db, runId, judge);
  await publishRunScore(db, runId, ladderZ);
  if (await markRunFinished(db, runId, { status: 'succeeded' })) runsFinished.inc({ status: 'succeeded', code: 'none' });
}
