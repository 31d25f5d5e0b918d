/**
 * Retries for transient failures only, with exponential backoff and jitter.
 * A permanent error (refused, malformed answer, 4xx …) is thrown at once; the last transient
 * error is thrown when the attempts run out; an aborted signal stops waiting and throws its reason.
 */
import { isEvaluationError } from '../errors';

export interface RetryOptions {
  /** Total tries including the first (>= 1). The platform default is 3. */
  attempts: number;
  /** Delay before the second try; doubles after each try. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  signal?: AbortSignal;
  /** Which errors are worth another try. Default: EvaluationErrors marked transient. */
  isTransient?: (error: unknown) => boolean;
  /** Called before each wait, e.g. to count retries (never log tokens or hidden items here). */
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
  /** Injected for tests. */
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** HTTP statuses worth retrying: rate limited, or the server/gateway is briefly unavailable. */
export const TRANSIENT_HTTP_STATUSES: ReadonlySet<number> = new Set([408, 425, 429, 500, 502, 503, 504]);

export function isTransientHttpStatus(status: number): boolean {
  return TRANSIENT_HTTP_STATUSES.has(status);
}

export const isTransientError = (error: unknown): boolean => isEvaluationError(error) && error.transient;

/**
 * Backoff before try number `attempt + 1` ("equal jitter"): half of the capped exponential
 * delay is fixed, half random, so retries spread out but never collapse to zero.
 */
export function backoffDelay(attempt: number, baseDelayMs: number, maxDelayMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export async function withRetries<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const { attempts, baseDelayMs = 500, maxDelayMs = 10_000, signal } = options;
  if (!Number.isInteger(attempts) || attempts < 1) {
    throw new Error(`withRetries: attempts must be a whole number >= 1, got ${attempts}`);
  }
  const isTransient = options.isTransient ?? isTransientError;
  const sleep = options.sleep ?? abortableSleep;
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw signal.reason;
    try {
      return await fn(attempt);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (attempt >= attempts || !isTransient(error)) throw error;
      const delayMs = backoffDelay(attempt, baseDelayMs, maxDelayMs, options.random);
      options.onRetry?.({ attempt, delayMs, error });
      await sleep(delayMs, signal);
    }
  }
}
