import { EventEmitter } from 'node:events';
import { SHARD_ATTEMPTS, type RunPlan, type RunProcessors, type RunProgress, type RunQueue } from './queue';
import { log, withLogContext } from '../log/logger';
import { fairOrder, type WaitingRun } from './queue-fairness';

/** A run waiting in this process, with the plan made when it was enqueued (it carries the run's lane). */
interface Waiting extends WaitingRun {
  plan: RunPlan | undefined;
}

/**
 * The embedded default when no Redis is configured: the same processors, run in this process,
 * a few runs at a time, shards in order, each shard retried like BullMQ would. One failing run
 * never stops the others. The next run is the fair queue's (workers/queue-fairness.ts): dev before hidden,
 * teams in turn.
 */
export function createInProcessQueue(processors: RunProcessors, opts: { concurrency?: number; shardBackoffMs?: number } = {}): RunQueue {
  const concurrency = opts.concurrency ?? 2;
  const waiting: Waiting[] = [];
  const scheduled = new Set<number>();
  const rescores = new Set<number>();
  const controller = new AbortController();
  const progress = new EventEmitter();
  progress.setMaxListeners(0);
  let active = 0;

  async function runShardWithRetries(runId: number, shardIndex: number, itemIds: number[]) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await processors.processShard({ runId, shardIndex, itemIds }, controller.signal, (done, total) =>
          progress.emit(String(runId), { runId, done, total } satisfies RunProgress),
        );
      } catch (e) {
        if (attempt >= SHARD_ATTEMPTS || controller.signal.aborted) throw e;
        await new Promise((r) => setTimeout(r, (opts.shardBackoffMs ?? 2000) * 2 ** (attempt - 1)));
      }
    }
  }

  async function runAll(runId: number, planned: RunPlan | undefined) {
    const plan = planned ?? (await processors.planRun(runId));
    for (const [shardIndex, itemIds] of plan.shards.entries()) {
      if ((await runShardWithRetries(runId, shardIndex, itemIds)) !== 'done') return;
    }
    await processors.finalizeRun(runId);
  }

  const pump = () => {
    while (active < concurrency && waiting.length > 0 && !controller.signal.aborted) {
      const next = fairOrder(waiting)[0];
      waiting.splice(waiting.indexOf(next), 1);
      const { runId } = next;
      active++;
      withLogContext({ runId }, () =>
        runAll(runId, next.plan)
          .catch((e) => (controller.signal.aborted ? undefined : processors.failRun(runId, e)))
          .catch((e) => log.error({ runId, err: e }, 'could not mark the run failed')),
      )
        .finally(() => {
          active--;
          scheduled.delete(runId);
          pump();
        });
    }
  };

  return {
    kind: 'in-process',
    async enqueueRun(runId) {
      if (scheduled.has(runId)) return;
      scheduled.add(runId);
      // A plan that cannot be made now is made again when the run starts, where its failure fails the run.
      const plan = await processors.planRun(runId).catch(() => undefined);
      waiting.push({ runId, split: plan?.lane?.split ?? 'test', teamId: plan?.lane?.teamId ?? -runId, turn: plan?.lane?.turn ?? 0, plan });
      pump();
    },
    async enqueueRescore(runId) {
      void processors.rescoreRun(runId).catch((e) => log.error({ runId, err: e }, 're-scoring failed'));
    },
    async enqueueReleaseRescore(jobId) {
      if (rescores.has(jobId)) return;
      rescores.add(jobId);
      void processors
        .rescoreRelease(jobId)
        .catch((e) => (controller.signal.aborted ? undefined : processors.failRescoreRelease(jobId, e)))
        .catch((e) => log.error({ rescoreJobId: jobId, err: e }, 'could not mark the re-score failed'))
        .finally(() => rescores.delete(jobId));
    },
    async isReleaseRescoreScheduled(jobId) {
      return rescores.has(jobId);
    },
    async enqueueRerank(releaseId, split) {
      void processors.rerankBoard(releaseId, split).catch((e) => log.error({ releaseId, split, err: e }, 're-ranking failed'));
    },
    async isRunScheduled(runId) {
      return scheduled.has(runId);
    },
    subscribeProgress(runId, listener) {
      progress.on(String(runId), listener);
      return () => progress.off(String(runId), listener);
    },
    async depth() {
      return [
        { queue: 'in-process', state: 'waiting', count: waiting.length },
        { queue: 'in-process', state: 'active', count: active },
      ];
    },
    async close() {
      controller.abort();
    },
  };
}
