import { refusal } from './refusal';
import type { Database } from '../../db/client';
import { getLeaderboardRowForRun } from '../../db/queries/leaderboard';
import { getRunSummary } from '../../db/queries/runs';
import { parseRowId } from './row-id';
import type { BoardViews } from '../../evaluator/scoring/board-views';
import type { StoredBreakdown } from '../components/run-breakdown';

/** The public view of a run: status, progress, typed error and aggregate score. Never per-item data. */
export async function loadRunView(db: Database, idParam: string | undefined) {
  const id = parseRowId(idParam);
  const run = id === null ? undefined : await getRunSummary(db, id);
  if (!run || id === null) throw refusal(404, 'No such run.');
  const published = await getLeaderboardRowForRun(db, id);
  // A hidden-split run the Ladder withheld shows no score of any kind (evaluator/scoring/ladder.ts).
  const row = published?.released ? published : undefined;
  const agg = row?.breakdown as
    | { reportMethod: 'judge' | 'deterministic' | null; judge: { model: string; modelVersion: string; promptVersion?: string } | null; unscored?: { count: number } }
    | undefined;
  return {
    ...run,
    createdAt: run.createdAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    score: row?.score ?? null,
    /** The Ladder withheld this run's scores: it did not beat its team's best released run significantly. */
    withheldByLadder: !!published && !published.released,
    scorerVersion: row?.scorerVersion ?? null,
    // The published aggregate and board views: aggregates only, safe for either split.
    breakdown: (row?.breakdown as StoredBreakdown | undefined) ?? null,
    views: (row?.views as BoardViews | null | undefined) ?? null,
    /** Who scored the reports (app/components/judge-identity.tsx). */
    reportScoring: agg
      ? { reportMethod: agg.reportMethod, judge: agg.judge ? { model: agg.judge.model, modelVersion: agg.judge.modelVersion, promptVersion: agg.judge.promptVersion ?? null } : null }
      : null,
    /** Reports the judge still failed on after its retries: left out of the score, interval and rank (decision 131). */
    judgeFailures: agg?.unscored?.count ?? 0,
  };
}

export type RunView = Awaited<ReturnType<typeof loadRunView>>;
