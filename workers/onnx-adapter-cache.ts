/**
 * Keeps one ONNX model loaded per worker process across the shards it serves. A shard leases the
 * adapter; its `close()` ends the lease and leaves the model loaded. The model is closed when another
 * model is needed (after every lease on it has ended: at most one model is loaded, so memory limits
 * hold), when it has been idle (no lease) for `idleMs` — an idle runner child otherwise keeps hundreds of MB
 * long after the last run — or when the worker shuts down.
 */
import type { ModelAdapter } from '../evaluator/adapters/types';
import { createOnnxAdapter, type OnnxAdapter, type OnnxAdapterOptions } from '../evaluator/onnx/onnx-adapter';
import { onnxGenerateSeconds, onnxGeneratedTokens, onnxRunnersReaped, setOnnxMemoryProbe } from './metrics';
import { log } from '../log/logger';

export type OnnxAdapterLease = ModelAdapter & Pick<OnnxAdapter, 'runtimeInfo' | 'startInfo' | 'peakResidentBytes'>;

interface Entry {
  key: string;
  adapter: Promise<OnnxAdapter>;
  leases: number;
  idleTimer?: NodeJS.Timeout;
}

export interface OnnxAdapterCacheOptions {
  /** A loaded model with no lease for this long is closed (its runner child ends); 0 or unset → never. */
  idleMs?: number;
}

export function createOnnxAdapterCache(open: (opts: OnnxAdapterOptions) => Promise<OnnxAdapter>, options: OnnxAdapterCacheOptions = {}) {
  let current: Entry | undefined;
  let loads = 0;
  let reaped = 0;
  const waiting: (() => void)[] = [];
  const wakeWaiters = () => waiting.splice(0).forEach((wake) => wake());

  const reapWhenIdle = (entry: Entry) => {
    if (!options.idleMs || options.idleMs <= 0) return;
    clearTimeout(entry.idleTimer);
    entry.idleTimer = setTimeout(() => {
      if (current !== entry || entry.leases > 0) return;
      current = undefined;
      reaped++;
      onnxRunnersReaped.inc();
      void entry.adapter.then((a) => a.close()).catch((err) => log.warn({ err }, 'onnx: closing an idle runner failed'));
    }, options.idleMs);
    // An idle timer must not keep a finished process alive.
    entry.idleTimer.unref();
  };

  const release = (entry: Entry) => {
    entry.leases--;
    if (entry.leases === 0) {
      reapWhenIdle(entry);
      wakeWaiters();
    }
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
      async generate(prompt, signal) {
        const result = await adapter.generateWithStats(prompt, signal);
        onnxGeneratedTokens.inc(result.newTokens);
        // In a batch every item reports the batch's time: each counts its share.
        onnxGenerateSeconds.inc(result.generateMs / 1000 / (result.batchSize ?? 1));
        return result.text;
      },
      runtimeInfo: () => adapter.runtimeInfo(),
      startInfo: adapter.startInfo && (() => adapter.startInfo!()),
      peakResidentBytes: adapter.peakResidentBytes && (() => adapter.peakResidentBytes!()),
      parallelCalls: adapter.parallelCalls,
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
          clearTimeout(current.idleTimer);
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
      clearTimeout(entry?.idleTimer);
      if (entry) await (await entry.adapter.catch(() => undefined))?.close();
      wakeWaiters();
    },
    /** Resident memory of the loaded model's runner child (null when none is loaded). */
    async residentBytes(): Promise<number | null> {
      const adapter = await current?.adapter.catch(() => undefined);
      return (await adapter?.residentBytes?.()) ?? null;
    },
    /** Models loaded so far (for tests and logs). */
    loads: () => loads,
    /** Models closed for being idle (for tests and logs). */
    reaped: () => reaped,
    loadedKey: () => current?.key,
  };
}

export type OnnxAdapterCache = ReturnType<typeof createOnnxAdapterCache>;

let processCache: OnnxAdapterCache | undefined;

/** The cache of this worker process (one loaded model per process); the first caller's idle time holds. */
export function processOnnxAdapterCache(options: OnnxAdapterCacheOptions = {}): OnnxAdapterCache {
  if (!processCache) {
    const cache = createOnnxAdapterCache((opts) => {
      log.info({ modelDir: opts.modelDir }, `onnx: loading model from ${opts.modelDir}`);
      return createOnnxAdapter(opts);
    }, options);
    setOnnxMemoryProbe(() => cache.residentBytes());
    processCache = cache;
  }
  return processCache;
}

/** Unloads this process's model, if any: call on worker shutdown. */
export async function closeProcessOnnxAdapters(): Promise<void> {
  await processCache?.closeAll();
}
