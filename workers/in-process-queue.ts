import type { RunProcessors, RunQueue } from './queue';

/**
 * The embedded default when no Redis is configured: the same processors, run in this process,
 * a few runs at a time, shards in order. One failing run never stops the others.
 */
export function createInProcessQueue(processors: RunProcessors, opts: { concurrency?: number } = {}): RunQueue {
  const concurrency = opts.concurrency ?? 2;
  const waiting: number[] = [];
  const scheduled = new Set<number>();
  const controller = new AbortController();
  let active = 0;

  async function runAll(runId: number) {
    const plan = await processors.planRun(runId);
    for (const [shardIndex, itemIds] of plan.shards.entries()) {
      const outcome = await processors.processShard({ runId, shardIndex, itemIds }, controller.signal, () => {});
      if (outcome !== 'done') return;
    }
    await processors.finalizeRun(runId);
  }

  const pump = () => {
    while (active < concurrency && waiting.length > 0 && !controller.signal.aborted) {
      const runId = waiting.shift()!;
      active++;
      runAll(runId)
        .catch(async (e) => {
          console.error(`run ${runId} failed in the in-process queue:`, e instanceof Error ? e.message : e);
          await processors.abandonRun(runId, 'The platform could not finish this run.').catch(() => {});
        })
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
      waiting.push(runId);
      pump();
    },
    async isRunScheduled(runId) {
      return scheduled.has(runId);
    },
    async close() {
      controller.abort();
    },
  };
}
