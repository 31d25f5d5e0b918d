import { data } from '@remix-run/node';
import type { Database } from '../../db/client';
import { getLeaderboardRowForRun } from '../../db/queries/leaderboard';
import { getRunSummary } from '../../db/queries/runs';

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
  };
}

export type RunView = Awaited<ReturnType<typeof loadRunView>>;
