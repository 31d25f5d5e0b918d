import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData, useRevalidator } from '@remix-run/react';
import { useEffect } from 'react';
import { listQueueRuns, meanRecentRunMs } from '../../db/queries/queue-lanes';
import { estimatedStartMs, fairOrder } from '../../workers/queue-fairness';

export const meta: MetaFunction = () => [{ title: 'Evaluation queue · SpineBench Hub' }];

/** Waiting runs in the order the fleet starts them (workers/queue-fairness.ts), with an estimated start. */
export async function loader({ context }: LoaderFunctionArgs) {
  const { db } = context.services;
  const [runs, meanRunMs] = await Promise.all([listQueueRuns(db), meanRecentRunMs(db)]);
  const running = runs.filter((r) => r.status === 'running');
  const waiting = fairOrder(runs.filter((r) => r.status === 'queued'));
  const now = Date.now();
  const view = (r: (typeof runs)[number], position: number | null) => {
    const eta = position === null ? null : estimatedStartMs(position, { meanRunMs, parallel: running.length, now });
    return {
      id: r.runId, status: r.status, doneItems: r.doneItems, totalItems: r.totalItems, modelName: r.modelName, teamName: r.teamName, split: r.split,
      position,
      estimatedStart: eta === null ? null : new Date(eta).toISOString(),
      minutes: eta === null ? null : Math.max(1, Math.round((eta - now) / 60_000)),
    };
  };
  return { runs: [...running.map((r) => view(r, null)), ...waiting.map((r, i) => view(r, i + 1))] };
}

export default function QueuePage() {
  const { runs } = useLoaderData<typeof loader>();
  const revalidator = useRevalidator();
  useEffect(() => {
    const timer = setInterval(() => revalidator.state === 'idle' && revalidator.revalidate(), 3000);
    return () => clearInterval(timer);
  }, [revalidator]);
  return (
    <>
      <h1>Evaluation queue</h1>
      <p className="note">
        Runs running and waiting on the evaluator fleet, in the order they start: dev-split sanity runs go before hidden-split
        runs, and teams take turns, so one team&apos;s many runs do not hold up another&apos;s. Estimated starts go by the
        mean time of recent runs.
      </p>
      <div className="table-scroll" role="region" aria-label="Evaluation queue" tabIndex={0}>
        <table data-testid="queue">
          <thead><tr><th scope="col">Position</th><th scope="col">Run</th><th scope="col">Model</th><th scope="col">Team</th><th scope="col">Split</th><th scope="col">Status</th><th scope="col">Progress</th><th scope="col">Estimated start</th></tr></thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.id} data-run-id={r.id}>
                <td data-testid="position">{r.position ?? '—'}</td>
                <td><Link to={`/runs/${r.id}`}>#{r.id}</Link></td>
                <td>{r.modelName}</td>
                <td>{r.teamName}</td>
                <td>{r.split === 'test' ? 'hidden' : 'dev'}</td>
                <td>{r.status}</td>
                <td><progress max={r.totalItems || 1} value={r.doneItems} aria-label={`run ${r.id} progress`} /> {r.doneItems}/{r.totalItems}</td>
                <td>
                  {r.status === 'running' ? 'started' : r.estimatedStart ? <time dateTime={r.estimatedStart}>in about {r.minutes} min</time> : 'unknown'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {runs.length === 0 ? <p>The queue is empty.</p> : null}
    </>
  );
}
