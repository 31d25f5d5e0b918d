import type { Database } from '../db/client';
import { boardRowStates, finishRescoreJob, getRescoreJob, markRescoreRunDone, markRescoreRunning } from '../db/queries/rescore-jobs';
import { rescoreChangelog } from './rescore-changelog';

/**
 * Runs a release re-score job (docs/decisions/282-rescore-changelog.md): each of its runs is re-scored from stored
 * outputs by `rescoreRun` (workers/rescore-run.ts: no model is called) and marked done, so a job killed half-way
 * resumes after its last finished run; then the board is compared with the one kept at start and the changelog
 * is written. Re-scoring a run twice changes nothing the second time, so a run cut off mid-way is simply redone.
 * `onProgress` hears (done, total) after each run.
 */
export async function rescoreRelease(
  db: Database,
  jobId: number,
  rescoreRun: (runId: number) => Promise<number>,
  onProgress: (done: number, total: number) => void = () => {},
): Promise<{ rowsMoved: number }> {
  const job = await getRescoreJob(db, jobId);
  if (!job) throw new Error(`Re-score job ${jobId} does not exist.`);
  if (job.status === 'finished' || job.status === 'failed') return { rowsMoved: 0 };
  await markRescoreRunning(db, jobId);
  const done = new Set(job.doneRunIds);
  let itemScoresChanged = 0;
  for (const runId of job.runIds) {
    if (done.has(runId)) continue;
    itemScoresChanged += await rescoreRun(runId);
    await markRescoreRunDone(db, jobId, runId);
    done.add(runId);
    onProgress(done.size, job.runIds.length);
  }
  const changes = rescoreChangelog(job.before, await boardRowStates(db, job.releaseId));
  await finishRescoreJob(db, job, changes, itemScoresChanged);
  return { rowsMoved: changes.length };
}
