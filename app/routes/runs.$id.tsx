import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { useLoaderData, useRevalidator } from '@remix-run/react';
import { useEffect } from 'react';
import { getRunSummary } from '../../db/queries/runs';
import { getLeaderboardRowForRun } from '../../db/queries/leaderboard';

export const meta: MetaFunction = ({ params }) => [{ title: `Run #${params.id} · SpineBench Hub` }];

export async function loader({ context, params }: LoaderFunctionArgs) {
  const id = Number(params.id);
  const run = Number.isInteger(id) ? await getRunSummary(context.services.db, id) : undefined;
  if (!run) throw data('No such run.', { status: 404 });
  const row = await getLeaderboardRowForRun(context.services.db, id);
  return {
    run: { ...run, createdAt: run.createdAt.toISOString(), finishedAt: run.finishedAt?.toISOString() ?? null },
    score: row?.score ?? null,
  };
}

export default function RunPage() {
  const { run, score } = useLoaderData<typeof loader>();
  const revalidator = useRevalidator();
  const live = run.status === 'queued' || run.status === 'running';
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => revalidator.state === 'idle' && revalidator.revalidate(), 1500);
    return () => clearInterval(timer);
  }, [live, revalidator]);

  return (
    <>
      <h1>Run #{run.id}</h1>
      <p>
        {run.modelName} by {run.teamName} on {run.releaseName} {run.releaseVersion}, {run.split} split
      </p>
      <p>
        Status: <strong className={`status-${run.status}`} data-testid="run-status">{run.status}</strong>
      </p>
      <progress max={run.totalItems || 1} value={run.doneItems} aria-label="items evaluated" />
      <p className="note">{run.doneItems} of {run.totalItems} items evaluated</p>
      {run.status === 'failed' ? (
        <div className="error-box" data-testid="run-error">
          <strong>{run.errorCode}</strong>: {run.errorMessage}
        </div>
      ) : null}
      {score !== null ? <p>Score: <strong data-testid="run-score">{score.toFixed(1)}</strong></p> : null}
    </>
  );
}
