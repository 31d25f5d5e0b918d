import { useRevalidator } from '@remix-run/react';
import { useEffect, useState } from 'react';

/** A progress bar fed by the run's server-sent events; the page reloads its data when the status changes. */
export function RunProgress({ runId, done, total, live }: { runId: number; done: number; total: number; live: boolean }) {
  const [progress, setProgress] = useState({ done, total });
  const revalidator = useRevalidator();

  useEffect(() => setProgress({ done, total }), [done, total]);
  useEffect(() => {
    if (!live) return;
    const source = new EventSource(`/runs/${runId}/events`);
    source.addEventListener('progress', (e) => setProgress(JSON.parse((e as MessageEvent).data)));
    source.addEventListener('status', (e) => {
      const s = JSON.parse((e as MessageEvent).data);
      setProgress({ done: s.doneItems, total: s.totalItems });
      revalidator.revalidate();
    });
    return () => source.close();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [runId, live]);

  const pct = progress.total > 0 ? Math.round((100 * progress.done) / progress.total) : 0;
  return (
    <div>
      <progress max={progress.total || 1} value={progress.done} aria-label="items evaluated" data-testid="run-progress" />
      <p className="note" data-testid="run-progress-text">
        {progress.done} of {progress.total} items evaluated ({pct}%)
      </p>
    </div>
  );
}
