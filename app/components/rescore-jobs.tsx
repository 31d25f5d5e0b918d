import { Link, useRevalidator } from '@remix-run/react';
import { useEffect } from 'react';

export interface RescoreJobView {
  id: number;
  release: string;
  slug: string;
  status: 'queued' | 'running' | 'finished' | 'failed';
  startedBy: string;
  reason: string | null;
  total: number;
  done: number;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

/** The console's re-score jobs with their progress; the page refreshes itself while one is unfinished. */
export function RescoreJobs({ jobs }: { jobs: RescoreJobView[] }) {
  const revalidator = useRevalidator();
  const unfinished = jobs.some((j) => j.status === 'queued' || j.status === 'running');
  useEffect(() => {
    if (!unfinished) return;
    const timer = setInterval(() => revalidator.state === 'idle' && revalidator.revalidate(), 3000);
    return () => clearInterval(timer);
  }, [unfinished, revalidator]);
  if (jobs.length === 0) return <p>No re-scores yet. A re-score reads stored outputs: no model is called.</p>;
  return (
    <div className="table-scroll" role="region" aria-label="Re-scores" tabIndex={0}>
    <table data-testid="rescore-jobs">
      <thead><tr><th>#</th><th>Release</th><th>Status</th><th>Progress</th><th>Started by</th><th>Why</th><th>Changelog</th></tr></thead>
      <tbody>
        {jobs.map((j) => (
          <tr key={j.id} data-job-id={j.id}>
            <td>{j.id}</td>
            <td>{j.release}</td>
            <td data-testid="rescore-status">{j.status}{j.error ? `: ${j.error}` : ''}</td>
            <td>
              <progress max={j.total || 1} value={j.done} aria-label={`re-score ${j.id} progress`} /> {j.done}/{j.total} runs
            </td>
            <td>{j.startedBy}</td>
            <td>{j.reason ?? ''}</td>
            <td>{j.status === 'finished' ? <Link to={`/releases/${encodeURIComponent(j.slug)}/changes#rescore-${j.id}`}>what moved</Link> : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
    </div>
  );
}
