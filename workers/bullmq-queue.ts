import { EventEmitter } from 'node:events';
import { DelayedError, FlowProducer, Queue, QueueEvents, Worker, type Job } from 'bullmq';
import IORedis from 'ioredis';
import throttle from 'lodash/throttle.js';
import { createRunSlots } from './run-slots';
import { jobPriority } from './queue-fairness';
import { startWorkerHeartbeat } from './worker-heartbeat';
import { log, withLogContext } from '../log/logger';
import { throttledReporter } from '../log/throttled';
import { QUEUE_NAMES, SHARD_ATTEMPTS, type QueueRole, type RunProcessors, type RunProgress, type RunQueue, type ShardJob } from './queue';

export interface BullmqSettings {
  redisUrl: string;
  prefix: string;
}

export interface EnqueueSettings extends BullmqSettings {
  shardBackoffMs: number;
}

// BullMQ requires maxRetriesPerRequest: null on connections used by workers (blocking commands).
function connect(redisUrl: string) {
  return new IORedis(redisUrl, { maxRetriesPerRequest: null });
}

/** Errors that repeat while Redis is unreachable are logged once a minute, not on every reconnect. */
const REPEAT_LOG_INTERVAL_MS = 60_000;
const redisTrouble = (what: string) =>
  throttledReporter<Error>(REPEAT_LOG_INTERVAL_MS, (err, suppressed) => log.warn({ err, suppressed }, what));

/** How often a shard reports progress at most (per shard). */
const PROGRESS_INTERVAL_MS = 250;
const finalizeJobId = (runId: number) => `run-${runId}-finalize`;
const shardJobId = (runId: number, shard: number) => `run-${runId}-shard-${shard}`;
const releaseRescoreJobId = (jobId: number) => `rescore-release-${jobId}`;

/** The web side of the fleet: enqueues a run as a BullMQ flow (shards as children of a finalize job). */
export function createBullmqQueue(settings: EnqueueSettings, planRun: RunProcessors['planRun']): RunQueue {
  const connection = connect(settings.redisUrl);
  const flows = new FlowProducer({ connection, prefix: settings.prefix });
  const scoring = new Queue(QUEUE_NAMES.scoring, { connection, prefix: settings.prefix });
  const shardQueues = (['endpoint', 'onnx'] as const).map((role) => new Queue(QUEUE_NAMES[role], { connection, prefix: settings.prefix }));
  const progress = new EventEmitter();
  progress.setMaxListeners(0);
  // Shard progress reaches the web process through Redis streams, from whichever machine runs the shard.
  const shardEvents = (['endpoint', 'onnx'] as const).map((role) => {
    const events = new QueueEvents(QUEUE_NAMES[role], { connection: connect(settings.redisUrl), prefix: settings.prefix });
    events.on('progress', ({ data }) => {
      const p = data as unknown as RunProgress;
      if (p && typeof p === 'object' && 'runId' in p) progress.emit(String(p.runId), p);
    });
    events.on('error', redisTrouble(`progress events of the ${role} queue: Redis error; retrying`));
    return events;
  });
  return {
    kind: 'bullmq',
    async enqueueRun(runId) {
      const plan = await planRun(runId);
      // Dev runs first, then teams in turn (workers/queue-fairness.ts); BullMQ starts lower priorities first.
      const priority = jobPriority(plan.lane?.split ?? 'test', plan.lane?.turn ?? 0);
      // Job ids derive from the run, so enqueueing the same run twice adds nothing.
      await flows.add({
        name: 'finalize',
        queueName: QUEUE_NAMES.scoring,
        data: { runId },
        opts: { jobId: finalizeJobId(runId), attempts: 3, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: 1000 },
        children: plan.shards.map((itemIds, shardIndex) => ({
          name: 'shard',
          queueName: QUEUE_NAMES[plan.queue],
          data: { runId, shardIndex, itemIds } satisfies ShardJob,
          opts: {
            jobId: shardJobId(runId, shardIndex),
            priority,
            attempts: SHARD_ATTEMPTS,
            backoff: { type: 'exponential', delay: settings.shardBackoffMs },
            failParentOnFailure: true,
            removeOnComplete: 1000,
          },
        })),
      });
    },
    async enqueueRescore(runId) {
      await scoring.add('rescore', { runId }, { attempts: 3, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: 1000 });
    },
    async enqueueReleaseRescore(jobId) {
      // A killed worker's job stalls and is taken up again; it resumes after its last finished run.
      await scoring.add('rescore-release', { rescoreJobId: jobId }, { jobId: releaseRescoreJobId(jobId), attempts: 3, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: 1000, removeOnFail: 1000 });
    },
    async isReleaseRescoreScheduled(jobId) {
      const job = await scoring.getJob(releaseRescoreJobId(jobId));
      return job !== undefined && !(await job.isFailed());
    },
    async enqueueRerank(releaseId, split) {
      await scoring.add('rerank', { releaseId, split }, { attempts: 3, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: 1000 });
    },
    async isRunScheduled(runId) {
      return (await scoring.getJob(finalizeJobId(runId))) !== undefined;
    },
    subscribeProgress(runId, listener) {
      progress.on(String(runId), listener);
      return () => progress.off(String(runId), listener);
    },
    async depth() {
      const states = ['waiting', 'prioritized', 'active', 'delayed', 'waiting-children', 'failed'] as const;
      const perQueue = await Promise.all(
        [scoring, ...shardQueues].map(async (q) => {
          const counts = await q.getJobCounts(...states);
          return states.map((state) => ({ queue: q.name, state, count: counts[state] ?? 0 }));
        }),
      );
      return perQueue.flat();
    },
    async close() {
      await Promise.all(shardEvents.map((e) => e.close()));
      await flows.close();
      await Promise.all(shardQueues.map((q) => q.close()));
      await scoring.close();
      connection.disconnect();
    },
  };
}

export interface WorkerSettings extends BullmqSettings {
  roles: QueueRole[];
  concurrency: number;
  /** Shards of one run in flight at once across the whole fleet (the per-submission cap). */
  maxShardsPerRun: number;
  /** How long a job lock lasts; a killed worker's job is picked up again after it. */
  lockDurationMs: number;
}

/** Starts BullMQ workers for the given queue roles. `close()` lets jobs in flight hand back their shard. */
export function startBullmqWorkers(settings: WorkerSettings, processors: RunProcessors) {
  const connection = connect(settings.redisUrl);
  const stopping = new AbortController();
  const common = {
    connection,
    prefix: settings.prefix,
    lockDuration: settings.lockDurationMs,
    stalledInterval: Math.max(1000, Math.floor(settings.lockDurationMs / 2)),
    // A killed worker leaves a stalled job; it must be taken up again, not failed.
    maxStalledCount: 10,
  };

  const slots = createRunSlots(connection, settings.prefix, { maxShards: settings.maxShardsPerRun, leaseMs: settings.lockDurationMs * 2 });
  // /readyz and the workers-seen gauge of the web process read these beats.
  const heartbeat = startWorkerHeartbeat(connection, settings.prefix, settings.roles);
  void heartbeat.beat().catch((err) => log.warn({ err }, 'first worker heartbeat failed; retrying'));

  const shardProcessor = (job: Job<ShardJob>, token?: string) =>
    withLogContext({ runId: job.data.runId, jobId: job.id, shard: job.data.shardIndex }, () => processShardJob(job, token));

  const processShardJob = async (job: Job<ShardJob>, token?: string) => {
    const { runId } = job.data;
    const holder = job.id ?? `${runId}-${job.data.shardIndex}`;
    if (!(await slots.acquire(runId, holder))) {
      // The run already has its cap of shards in flight elsewhere: wait without spending an attempt.
      await job.moveToDelayed(Date.now() + 250 + Math.random() * 250, token);
      throw new DelayedError();
    }
    // Progress is for people watching (a few updates a second is plenty) and the lease only has to be renewed
    // well within its term: throttled, they stay off the per-item path. The latest count is always delivered.
    const reportProgress = throttle(
      (done: number, total: number) =>
        void job.updateProgress({ runId, done, total } satisfies RunProgress).catch((err) => log.debug({ err }, 'progress update failed')),
      PROGRESS_INTERVAL_MS,
    );
    const renewLease = throttle(
      () => void slots.renew(runId, holder).catch((err) => log.warn({ err }, 'could not renew the run slot lease')),
      settings.lockDurationMs / 2,
      { trailing: false },
    );
    let outcome;
    try {
      outcome = await processors.processShard(job.data, stopping.signal, (done, total) => {
        reportProgress(done, total);
        renewLease();
      });
    } finally {
      reportProgress.flush();
      renewLease.cancel();
      // Not fatal: the lease runs out on its own, it only holds the run's slot a little longer.
      await slots.release(runId, holder).catch((err) => log.warn({ err }, 'could not release the run slot'));
    }
    if (outcome === 'handed-back') {
      // Graceful shutdown: give the shard back without spending an attempt; it resumes after its last item.
      await job.moveToDelayed(Date.now() + 100, token);
      throw new DelayedError();
    }
  };

  const workers: Worker[] = [];
  for (const role of settings.roles) {
    const worker =
      role === 'scoring'
        ? new Worker<{ runId: number } | { releaseId: number; split: 'dev' | 'test' } | { rescoreJobId: number }>(
            QUEUE_NAMES.scoring,
            (job) =>
              withLogContext({ jobId: job.id, ...('releaseId' in job.data ? { releaseId: job.data.releaseId } : 'runId' in job.data ? { runId: job.data.runId } : {}) }, async () => {
                if ('rescoreJobId' in job.data) {
                  return processors.rescoreRelease(job.data.rescoreJobId, (done, total) => void job.updateProgress({ done, total }).catch(() => {}));
                }
                if ('releaseId' in job.data) return processors.rerankBoard(job.data.releaseId, job.data.split);
                return job.name === 'rescore' ? processors.rescoreRun(job.data.runId) : processors.finalizeRun(job.data.runId);
              }),
            {
              ...common,
              concurrency: settings.concurrency,
            },
          )
        : new Worker<ShardJob>(QUEUE_NAMES[role], shardProcessor, {
            ...common,
            // ONNX workers hold one model in memory: one job at a time.
            concurrency: role === 'onnx' ? 1 : settings.concurrency,
          });
    worker.on('failed', (job, err) => {
      if (!job || err instanceof DelayedError) return;
      const runId = 'runId' in job.data ? (job.data as { runId: number }).runId : undefined;
      const final = job.attemptsMade >= (job.opts.attempts ?? 1);
      log.warn({ jobId: job.id, job: job.name, runId, attempt: job.attemptsMade, final, err }, final ? 'job failed for good' : 'job attempt failed');
      if (final && job.name === 'rescore-release') {
        const rescoreJobId = (job.data as { rescoreJobId: number }).rescoreJobId;
        void processors.failRescoreRelease(rescoreJobId, err).catch((e) => log.error({ rescoreJobId, err: e }, 'could not mark the re-score failed'));
        return;
      }
      if (!final || job.name === 'rescore' || job.name === 'rerank' || runId === undefined) return;
      void processors.failRun(runId, err).catch((e) => log.error({ runId, jobId: job.id, err: e }, 'could not mark the run failed'));
    });
    worker.on('error', redisTrouble(`${role} worker error`));
    workers.push(worker);
  }

  return {
    workers,
    async close() {
      stopping.abort();
      await Promise.all(workers.map((w) => w.close()));
      await heartbeat.stop();
      connection.disconnect();
    },
  };
}
