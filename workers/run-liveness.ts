import type { Database } from '../db/client';
import { getRunStatus } from '../db/queries/runs';

/**
 * Whether a run is still running (not cancelled, failed or finished elsewhere), read from the database at most
 * once per `intervalMs` however many items ask: a shard notices a stopped run within about a second without
 * a query per item. Concurrent callers share one query.
 */
export function createRunLivenessCheck(db: Database, runId: number, intervalMs = 1_000): () => Promise<boolean> {
  let checkedAt = Date.now();
  let live: Promise<boolean> = Promise.resolve(true);
  return () => {
    if (Date.now() - checkedAt >= intervalMs) {
      checkedAt = Date.now();
      live = getRunStatus(db, runId).then((row) => row?.status === 'running');
    }
    return live;
  };
}
