import type { Database } from '../db/client';
import { getRunStatus, listResultsWithItems, updateItemScore } from '../db/queries/runs';
import { judgeIdentity, type JudgeConfig } from '../evaluator/judge';
import { rescoreStoredItem } from '../evaluator/scoring';
import { judgeRunReports } from './judge-reports';
import { publishRunScore } from './publish-run-score';

/**
 * Re-scores a finished run from its stored raw outputs with the current scorer (no model is called), keeps
 * judge outcomes made by the current judge configuration, asks the judge for the rest, and republishes the
 * run's leaderboard row. Returns how many item scores changed.
 */
export async function rescoreRun(db: Database, runId: number, judge: JudgeConfig | null, ladderZ?: number): Promise<number> {
  if ((await getRunStatus(db, runId))?.status !== 'succeeded') return 0;
  const currentJudge = judge ? judgeIdentity(judge).configVersion : null;
  let changed = 0;
  for (const r of await listResultsWithItems(db, runId)) {
    const previous = r.detail;
    // Rows are written with their score; a row without one has nothing to re-score from.
    if (!previous) continue;
    const { next, changed: itemChanged } = rescoreStoredItem(r.payload, r.rawOutput, previous, currentJudge);
    if (!itemChanged) continue;
    await updateItemScore(db, r.resultId, { score: next.score, detail: next, scorerVersion: next.scorerVersion });
    changed++;
  }
  if (judge) changed += await judgeRunReports(db, runId, judge);
  await publishRunScore(db, runId, ladderZ);
  return changed;
}
