import { lazy, Suspense, useEffect, useState } from 'react';
import type { ChartRow } from './score-chart.client';

const ScoreChart = lazy(() => import('./score-chart.client'));

/** Renders the chart after hydration; the server HTML carries the same numbers in the table. */
export function LeaderboardChart({ rows }: { rows: ChartRow[] }) {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  if (!mounted || rows.length === 0) return null;
  return (
    <div className="chart" data-testid="leaderboard-chart">
      <Suspense fallback={null}>
        <ScoreChart rows={rows} />
      </Suspense>
    </div>
  );
}
