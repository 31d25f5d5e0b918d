import { data } from '@remix-run/node';
import type { Database } from '../../db/client';
import { getLeaderboardRowForRun } from '../../db/queries/leaderboard';
import { getRunSummary } from '../../db/queries/runs';
import type { BoardViews } from '../../evaluator/scoring/board-views';
import type { StoredBreakdown } from '../components/run-breakdown';

/** The public view of a run: status, progress, typed error and aggregate score. Never per-item data. */
export async function loadRunView(db: Database, idParam: string | undefined) {
  const id = Number(idParam);
  const run = Number.isInteger(id) && id > 0 ? await getRunSummary(db, id) : undefined;
  if (!run) throw data('No such run.', { status: 404 });
  const row = await getLeaderboardRowForRun(db, id);
  return {
    ...run,
    createdAt: run.createdAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    score: row?.score ?? null,
    scorerVersion: row?.scorerVersion ?? null,
    // The published aggregate and board views: aggregates only, safe for either split.
    breakdown: (row?.breakdown as StoredBreakdown | undefined) ?? null,
    views: (row?.views as BoardViews | null | undefined) ?? null,
  };
}

export type RunView = Awaited<ReturnType<typeof loadRunView>>;
