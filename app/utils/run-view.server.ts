import { refusal } from './refusal';
import type { Database } from '../../db/client';
import { getLeaderboardRowForRun } from '../../db/queries/leaderboard';
import { getRunSummary } from '../../db/queries/runs';
import { parseRowId } from './row-id';

/** The public view of a run: status, progress, typed error and aggregate score. Never per-item data. */
export async function loadRunView(db: Database, idParam: string | undefined) {
  const id = parseRowId(idParam);
  const run = id === null ? undefined : await getRunSummary(db, id);
  if (!run || id === null) throw refusal(404, 'No such run.');
  const row = await getLeaderboardRowForRun(db, id);
  return {
    ...run,
    createdAt: run.createdAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    score: row?.score ?? null,
  };
}

export type RunView = Awaited<ReturnType<typeof loadRunView>>;
