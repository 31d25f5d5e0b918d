import { lazy, Suspense, useEffect, useState } from 'react';
import type { ScoreBarsProps } from './score-bars.client';

const ScoreBars = lazy(() => import('./score-bars.client'));

/** Draws bars after hydration only; the server HTML carries the same numbers in its table. */
export function ClientScoreBars(props: ScoreBarsProps & { testId: string }) {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  if (!mounted || props.rows.length === 0) return null;
  return (
    <div className="chart" data-testid={props.testId}>
      <Suspense fallback={null}>
        <ScoreBars {...props} />
      </Suspense>
    </div>
  );
}

/** Colours that read on white and on each other (dark to light, the legend's order). */
export const SERIES_COLORS = ['#15324f', '#2f6f9f', '#5fa0c8', '#b0541c', '#6a4cc2', '#1b7f3b', '#8a6d00', '#a4161a'];
