/**
 * Keeps one ONNX model loaded per worker process across the shards it serves. A shard leases the
 * adapter; its `close()` ends the lease and leaves the model loaded. The model is closed when another
 * model is needed (after every lease on it has ended: at most one model is loaded, so memory limits
 * hold) or when the worker shuts down.
 */
import type { ModelAdapter } from '../evaluator/adapters/types';
import { createOnnxAdapter, type OnnxAdapter, type OnnxAdapterOptions } from '../evaluator/onnx/onnx-adapter';

export type OnnxAdapterLease = ModelAdapter & Pick<OnnxAdapter, 'runtimeInfo'>;

interface Entry {
  key: string;
  adapter: Promise<OnnxAdapter>;
  leases: number;
}

export function createOnnxAdapterCache(open: (opts: OnnxAdapterOptions) => Promise<OnnxAdapter>) {
  let current: Entry | undefined;
  let loads = 0;
  const waiting: (() => void)[] = [];
  const wakeWaiters = () => waiting.splice(0).forEach((wake) => wake());

  const release = (entry: Entry) => {
    entry.leases--;
    if (entry.leases === 0) wakeWaiters();
  };

  async function lease(entry: Entry): Promise<OnnxAdapterLease> {
    let adapter: OnnxAdapter;
    try {
      adapter = await entry.adapter;
    } catch (e) {
      // A model that failed to load is forgotten, so the next shard tries again.
      if (current === entry) current = undefined;
      release(entry);
      throw e;
    }
    let ended = false;
    return {
      generate: (prompt, signal) => adapter.generate(prompt, signal),
      runtimeInfo: () => adapter.runtimeInfo(),
      async close() {
        if (!ended) (ended = true), release(entry);
      },
    };
  }

  return {
    /** Leases the adapter of `key` (e.g. model id + bundle folder + error detail), loading it if needed. */
    async acquire(key: string, opts: OnnxAdapterOptions): Promise<OnnxAdapterLease> {
      for (;;) {
        if (current?.key === key) {
          current.leases++;
          return lease(current);
        }
        if (!current || current.leases === 0) {
          const previous = current;
          loads++;
          const entry: Entry = {
            key,
            leases: 1,
            adapter: (async () => {
              if (previous) await (await previous.adapter.catch(() => undefined))?.close();
              return open(opts);
            })(),
          };
          current = entry;
          return lease(entry);
        }
        // Another model is serving a shard right now: wait for it to finish, then swap.
        await new Promise<void>((resolve) => waiting.push(resolve));
      }
    },
    /** Closes the loaded model (worker shutdown). */
    async closeAll(): Promise<void> {
      const entry = current;
      current = undefined;
      if (entry) await (await entry.adapter.catch(() => undefined))?.close();
      wakeWaiters();
    },
    /** Models loaded so far (for tests and logs). */
    loads: () => loads,
    loadedKey: () => current?.key,
  };
}

export type OnnxAdapterCache = ReturnType<typeof createOnnxAdapterCache>;

let processCache: OnnxAdapterCache | undefined;

/** The cache of this worker process (one loaded model per process). */
export function processOnnxAdapterCache(): OnnxAdapterCache {
  return (processCache ??= createOnnxAdapterCache((opts) => {
    console.log(`onnx: loading model from ${opts.modelDir}`);
    return createOnnxAdapter(opts);
  }));
}

/** Unloads this process's model, if any: call on worker shutdown. */
export async function closeProcessOnnxAdapters(): Promise<void> {
  await processCache?.closeAll();
}
