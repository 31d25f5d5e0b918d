import { describe, expect, it } from 'vitest';
import { EvaluationError } from '../../evaluator/errors';
import { createRequestLimiter } from '../../evaluator/net/limiter';
import { backoffDelay, isTransientHttpStatus, withRetries } from '../../evaluator/net/retry';

const transient = () => new EvaluationError('unreachable', 'connection reset', { transient: true });
const permanent = () => new EvaluationError('refused', 'private address');

/** Records requested delays instead of waiting. */
function fakeSleep() {
  const delays: number[] = [];
  const sleep = async (ms: number) => {
    delays.push(ms);
  };
  return { delays, sleep };
}

describe('withRetries', () => {
  it('retries transient errors and returns the first success', async () => {
    const { delays, sleep } = fakeSleep();
    let calls = 0;
    const result = await withRetries(
      async (attempt) => {
        calls++;
        if (attempt < 3) throw transient();
        return `ok on ${attempt}`;
      },
      { attempts: 3, baseDelayMs: 100, maxDelayMs: 10_000, sleep, random: () => 0.5 },
    );
    expect(result).toBe('ok on 3');
    expect(calls).toBe(3);
    expect(delays).toEqual([75, 150]); // equal jitter: 100/2 + 0.5*50, 200/2 + 0.5*100
  });

  it('does not retry a permanent error', async () => {
    const { delays, sleep } = fakeSleep();
    let calls = 0;
    const error = permanent();
    await expect(
      withRetries(
        async () => {
          calls++;
          throw error;
        },
        { attempts: 5, sleep },
      ),
    ).rejects.toBe(error);
    expect(calls).toBe(1);
    expect(delays).toEqual([]);
  });

  it('does not retry plain errors unless told they are transient', async () => {
    let calls = 0;
    const fail = async () => {
      calls++;
      throw new Error('boom');
    };
    await expect(withRetries(fail, { attempts: 3, sleep: fakeSleep().sleep })).rejects.toThrow('boom');
    expect(calls).toBe(1);
    await expect(withRetries(fail, { attempts: 3, sleep: fakeSleep().sleep, isTransient: () => true })).rejects.toThrow('boom');
    expect(calls).toBe(4);
  });

  it('throws the last transient error when attempts run out', async () => {
    let calls = 0;
    const errors: EvaluationError[] = [];
    await expect(
      withRetries(
        async () => {
          calls++;
          const e = transient();
          errors.push(e);
          throw e;
        },
        { attempts: 3, sleep: fakeSleep().sleep },
      ),
    ).rejects.toSatisfy((e) => e === errors[2]);
    expect(calls).toBe(3);
  });

  it('caps the delay at maxDelayMs', () => {
    expect(backoffDelay(1, 500, 10_000, () => 1)).toBe(500);
    expect(backoffDelay(4, 500, 10_000, () => 1)).toBe(4000);
    expect(backoffDelay(10, 500, 10_000, () => 1)).toBe(10_000);
    expect(backoffDelay(10, 500, 10_000, () => 0)).toBe(5000);
  });

  it('stops waiting when the signal aborts, with the signal reason', async () => {
    const controller = new AbortController();
    const shutdown = new Error('shutdown');
    let calls = 0;
    const started = Date.now();
    setTimeout(() => controller.abort(shutdown), 50);
    await expect(
      withRetries(
        async () => {
          calls++;
          throw transient();
        },
        { attempts: 5, baseDelayMs: 60_000, maxDelayMs: 60_000, signal: controller.signal },
      ),
    ).rejects.toBe(shutdown);
    expect(calls).toBe(1);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('does not start when the signal is already aborted', async () => {
    let calls = 0;
    const reason = new Error('cancelled');
    await expect(withRetries(async () => calls++, { attempts: 3, signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(calls).toBe(0);
  });

  it('rejects nonsense attempts', async () => {
    await expect(withRetries(async () => 1, { attempts: 0 })).rejects.toThrow(/attempts must be a whole number >= 1/);
  });

  it('knows which HTTP statuses are worth another try', () => {
    expect([429, 502, 503, 504].every(isTransientHttpStatus)).toBe(true);
    expect([200, 400, 401, 403, 404, 422].some(isTransientHttpStatus)).toBe(false);
  });
});

describe('createRequestLimiter', () => {
  it('never runs more than `concurrency` at once', async () => {
    const limiter = createRequestLimiter({ concurrency: 3 });
    let running = 0;
    let peak = 0;
    const task = async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 10));
      running--;
    };
    await Promise.all(Array.from({ length: 20 }, () => limiter.schedule(task)));
    expect(peak).toBe(3);
  });

  it('keeps to ratePerSecond', async () => {
    const limiter = createRequestLimiter({ concurrency: 10, ratePerSecond: 20 });
    const starts: number[] = [];
    await Promise.all(Array.from({ length: 30 }, () => limiter.schedule(async () => starts.push(Date.now()))));
    // 30 starts at 20/s in a sliding one-second window: the 21st cannot start before 1 s.
    expect(starts[29] - starts[0]).toBeGreaterThanOrEqual(950);
    for (let i = 20; i < starts.length; i++) expect(starts[i] - starts[i - 20]).toBeGreaterThanOrEqual(950);
  });

  it('passes results and errors through, and drops waiting work on abort', async () => {
    const limiter = createRequestLimiter({ concurrency: 1 });
    expect(await limiter.schedule(async () => 42)).toBe(42);
    await expect(limiter.schedule(async () => Promise.reject(new Error('nope')))).rejects.toThrow('nope');

    let release!: () => void;
    const blocker = limiter.schedule(() => new Promise<void>((r) => (release = r)));
    const controller = new AbortController();
    let ran = false;
    const waiting = limiter.schedule(async () => (ran = true), { signal: controller.signal });
    expect(limiter.waiting).toBe(1);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    release();
    await blocker;
    await limiter.onIdle();
    expect(ran).toBe(false);
  });

  it('rejects bad settings with the setting named', () => {
    expect(() => createRequestLimiter({ concurrency: 0 })).toThrow(/concurrency/);
    expect(() => createRequestLimiter({ concurrency: 2, ratePerSecond: 0 })).toThrow(/ratePerSecond/);
  });
});
