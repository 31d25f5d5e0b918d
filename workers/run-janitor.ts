import type { Database } from '../db/client';
import { listUnfinishedRescoreJobIds } from '../db/queries/rescore-jobs';
import { listUnfinishedRunIds } from '../db/queries/runs';
import type { RunQueue } from './queue';
import { log } from '../log/logger';

/**
 * The database is the record of which runs are unfinished. Any such run that the queue engine no longer
 * holds (a restart of the in-process engine, a Redis restart that lost its keys) is enqueued again and
 * resumes after its last committed item.
 */
export async function rescheduleLostRuns(db: Database, queue: RunQueue): Promise<number[]> {
  const lost: number[] = [];
  for (const runId of await listUnfinishedRunIds(db)) {
    if (await queue.isRunScheduled(runId)) continue;
    await queue.enqueueRun(runId);
    lost.push(runId);
  }
  return lost;
}

/** The same for release re-score jobs: one killed with its process resumes after its last finished run. */
export async function rescheduleLostRescores(db: Database, queue: RunQueue): Promise<number[]> {
  const lost: number[] = [];
  for (const jobId of await listUnfinishedRescoreJobIds(db)) {
    if (await queue.isReleaseRescoreScheduled(jobId)) continue;
    await queue.enqueueReleaseRescore(jobId);
    lost.push(jobId);
  }
  return lost;
}

export function startRunJanitor(db: Database, queue: RunQueue, intervalMs: number) {
  let busy = false;
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      const lost = await rescheduleLostRuns(db, queue);
      if (lost.length > 0) log.info({ runIds: lost }, `re-enqueued unfinished runs: ${lost.join(', ')}`);
      const rescores = await rescheduleLostRescores(db, queue);
      if (rescores.length > 0) log.info({ rescoreJobIds: rescores }, `re-enqueued unfinished re-score jobs: ${rescores.join(', ')}`);
    } catch (e) {
      log.error({ err: e }, 'run janitor tick failed');
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return { tick, stop: () => clearInterval(timer) };
}
