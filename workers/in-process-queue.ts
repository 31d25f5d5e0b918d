import type { RunProcessor, RunQueue } from './queue';

/**
 * The embedded default when no Redis is configured: the same processor, run in this process,
 * a few runs at a time. One failing run never stops the others.
 */
export function createInProcessQueue(processor: RunProcessor, opts: { concurrency?: number } = {}): RunQueue {
  const concurrency = opts.concurrency ?? 2;
  const waiting: number[] = [];
  const controller = new AbortController();
  let active = 0;

  const pump = () => {
    while (active < concurrency && waiting.length > 0 && !controller.signal.aborted) {
      const runId = waiting.shift()!;
      active++;
      processor(runId, controller.signal, () => {})
        .catch((e) => console.error(`in-process queue: run ${runId} failed:`, e instanceof Error ? e.message : e))
        .finally(() => {
          active--;
          pump();
        });
    }
  };

  return {
    kind: 'in-process',
    async enqueueRun(runId) {
      waiting.push(runId);
      pump();
    },
    async close() {
      controller.abort();
    },
  };
}
