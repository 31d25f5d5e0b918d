import type { NewItemResult } from '../db/queries/runs';

/**
 * Collects item results and commits them in small batches: when `maxItems` are waiting or `maxDelayMs`
 * after the first one, whichever comes first. One transaction per batch instead of per item keeps the
 * database off the critical path; a crash loses at most one batch of outputs, which are simply redone.
 */
export function createResultBatcher(
  commit: (results: NewItemResult[]) => Promise<number>,
  onCommitted: (done: number) => void,
  opts: { maxItems: number; maxDelayMs: number },
) {
  let pending: NewItemResult[] = [];
  let timer: NodeJS.Timeout | undefined;
  let chain: Promise<void> = Promise.resolve();
  let failure: unknown;

  const flush = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (pending.length === 0) return chain;
    const batch = pending;
    pending = [];
    // Batches commit one after another so progress counts only grow.
    chain = chain.then(async () => {
      try {
        onCommitted(await commit(batch));
      } catch (e) {
        failure ??= e;
      }
    });
    return chain;
  };

  return {
    add(result: NewItemResult) {
      pending.push(result);
      if (pending.length >= opts.maxItems) void flush();
      else timer ??= setTimeout(() => void flush(), opts.maxDelayMs);
    },
    /** Commits everything still waiting; throws the first commit error, if any. */
    async drain() {
      await flush();
      if (failure) throw failure;
    },
  };
}
