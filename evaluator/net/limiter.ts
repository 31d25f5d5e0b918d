/**
 * Per-submission request limiter: at most `concurrency` requests in flight and at most
 * `ratePerSecond` started per second (sliding window, so no burst at window edges).
 * Built on p-queue. Schedule each attempt, not each item, so retries are limited too.
 */
import PQueue from 'p-queue';

export interface RequestLimiterOptions {
  /** Requests in flight at once (>= 1). */
  concurrency: number;
  /** Requests started per second (> 0); omitted or Infinity means no rate limit. */
  ratePerSecond?: number;
}

export interface RequestLimiter {
  /** Runs fn when a slot is free; rejects with the signal's reason if aborted while waiting. */
  schedule<T>(fn: () => Promise<T>, opts?: { signal?: AbortSignal }): Promise<T>;
  /** Requests running now. */
  readonly active: number;
  /** Requests waiting for a slot. */
  readonly waiting: number;
  /** Resolves when nothing runs or waits. */
  onIdle(): Promise<void>;
  /** Drops waiting requests (they never run; their promises stay pending). Use on shutdown. */
  clear(): void;
}

/** The window p-queue counts in: one start per window below 1/s, whole-number caps above. */
function rateWindow(ratePerSecond: number): { intervalCap: number; interval: number } {
  if (ratePerSecond < 1) return { intervalCap: 1, interval: Math.ceil(1000 / ratePerSecond) };
  const intervalCap = Math.ceil(ratePerSecond);
  return { intervalCap, interval: Math.round((1000 * intervalCap) / ratePerSecond) };
}

export function createRequestLimiter(options: RequestLimiterOptions): RequestLimiter {
  const { concurrency, ratePerSecond } = options;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new Error(`request limiter: concurrency must be a whole number >= 1, got ${concurrency}`);
  }
  if (ratePerSecond !== undefined && !(ratePerSecond > 0)) {
    throw new Error(`request limiter: ratePerSecond must be > 0, got ${ratePerSecond}`);
  }
  const limited = ratePerSecond !== undefined && Number.isFinite(ratePerSecond);
  const queue = new PQueue({ concurrency, ...(limited ? { ...rateWindow(ratePerSecond), strict: true } : {}) });

  return {
    schedule: <T>(fn: () => Promise<T>, opts: { signal?: AbortSignal } = {}) =>
      queue.add(fn, { signal: opts.signal }) as Promise<T>,
    get active() {
      return queue.pending;
    },
    get waiting() {
      return queue.size;
    },
    onIdle: () => queue.onIdle(),
    clear: () => queue.clear(),
  };
}
