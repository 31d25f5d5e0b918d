import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData, useRevalidator } from '@remix-run/react';
import { useEffect } from 'react';
import { listActiveRuns } from '../../db/queries/runs';

export const meta: MetaFunction = () => [{ title: 'Evaluation queue · SpineBench Hub' }];

export async function loader({ context }: LoaderFunctionArgs) {
  const runs = await listActiveRuns(context.services.db);
  let position = 0;
  return {
    runs: runs.map((r) => ({
      ...r,
      createdAt: r.createdAt.toISOString(),
      position: r.status === 'queued' ? ++position : null,
    })),
  };
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
      <p className="note">Runs waiting and running on the evaluator fleet, oldest first.</p>
      <table>
        <thead><tr><th>Position</th><th>Run</th><th>Model</th><th>Team</th><th>Split</th><th>Status</th><th>Progress</th></tr></thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.id}>
              <td>{r.position ?? '—'}</td>
              <td><Link to={`/runs/${r.id}`}>#{r.id}</Link></td>
              <td>{r.modelName}</td>
              <td>{r.teamName}</td>
              <td>{r.split}</td>
              <td>{r.status}</td>
              <td><progress max={r.totalItems || 1} value={r.doneItems} /> {r.doneItems}/{r.totalItems}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {runs.length === 0 ? <p>The queue is empty.</p> : null}
    </>
  );
}
