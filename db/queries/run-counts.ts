import { count } from 'drizzle-orm';
import type { Database } from '../client';
import { RUN_STATUSES, evaluationRuns, type RunStatus } from '../schema';

/** How many runs are in each state (every state present, zero when none): the runs-by-state gauge. */
export async function countRunsByStatus(db: Database): Promise<Record<RunStatus, number>> {
  const rows = await db.select({ status: evaluationRuns.status, n: count() }).from(evaluationRuns).groupBy(evaluationRuns.status);
  const counts = Object.fromEntries(RUN_STATUSES.map((s) => [s, 0])) as Record<RunStatus, number>;
  for (const r of rows) counts[r.status] = r.n;
  return counts;
}
