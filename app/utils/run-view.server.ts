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
  const agg = row?.breakdown as
    | { reportMethod: 'judge' | 'deterministic' | null; judge: { model: string; modelVersion: string; promptVersion?: string } | null; unscored?: { count: number } }
    | undefined;
  return {
    ...run,
    createdAt: run.createdAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    score: row?.score ?? null,
    /** Who scored the reports (app/components/judge-identity.tsx). */
    reportScoring: agg
      ? { reportMethod: agg.reportMethod, judge: agg.judge ? { model: agg.judge.model, modelVersion: agg.judge.modelVersion, promptVersion: agg.judge.promptVersion ?? null } : null }
      : null,
    /** Reports the judge still failed on after its retries: left out of the score, interval and rank (decision 131). */
    judgeFailures: agg?.unscored?.count ?? 0,
  };
}

export type RunView = Awaited<ReturnType<typeof loadRunView>>;
