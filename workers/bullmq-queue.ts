import { Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { EVALUATION_QUEUE, type RunProcessor, type RunQueue } from './queue';

export interface BullmqSettings {
  redisUrl: string;
  prefix: string;
}

// BullMQ requires maxRetriesPerRequest: null on connections used by workers (blocking commands).
function connect(redisUrl: string) {
  return new IORedis(redisUrl, { maxRetriesPerRequest: null });
}

export function createBullmqQueue(settings: BullmqSettings): RunQueue {
  const connection = connect(settings.redisUrl);
  const queue = new Queue(EVALUATION_QUEUE, { connection, prefix: settings.prefix });
  return {
    kind: 'bullmq',
    async enqueueRun(runId) {
      // jobId = run id: enqueueing the same run twice is a no-op.
      await queue.add(
        'evaluate',
        { runId },
        { jobId: `run-${runId}`, attempts: 3, backoff: { type: 'exponential', delay: 2_000 }, removeOnComplete: 1000, removeOnFail: 5000 },
      );
    },
    async close() {
      await queue.close();
      connection.disconnect();
    },
  };
}

/** A BullMQ worker that runs the processor for each queued run. */
export function startBullmqWorker(settings: BullmqSettings & { concurrency: number }, processor: RunProcessor) {
  const connection = connect(settings.redisUrl);
  const worker = new Worker<{ runId: number }>(
    EVALUATION_QUEUE,
    async (job, _token, signal) => {
      const abort = signal ?? new AbortController().signal;
      await processor(job.data.runId, abort, (done, total) => void job.updateProgress({ done, total }));
    },
    { connection, prefix: settings.prefix, concurrency: settings.concurrency },
  );
  worker.on('error', (e) => console.error('worker error:', e.message));
  return {
    worker,
    async close() {
      await worker.close();
      connection.disconnect();
    },
  };
}
