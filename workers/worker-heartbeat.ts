/**
 * Workers say they are alive by refreshing a short-lived Redis key each few seconds; /readyz and the
 * spinebench_workers_seen gauge read those keys. A key expires on its own when its worker dies, so no
 * clean-up is needed (and a SIGKILLed worker disappears within the key's lifetime).
 */
import os from 'node:os';
import type IORedis from 'ioredis';
import { log } from '../log/logger';
import { throttledReporter } from '../log/throttled';

export interface WorkerBeat {
  id: string;
  host: string;
  pid: number;
  roles: string[];
  seenAt: string;
}

const keyPattern = (prefix: string) => `${prefix}:workers:*`;

export function startWorkerHeartbeat(redis: IORedis, prefix: string, roles: string[], opts: { intervalMs?: number; ttlMs?: number } = {}) {
  const intervalMs = opts.intervalMs ?? 5_000;
  const ttlMs = opts.ttlMs ?? 60_000;
  const id = `${os.hostname()}:${process.pid}`;
  const key = `${prefix}:workers:${id}`;
  const beat = async () => {
    const value: WorkerBeat = { id, host: os.hostname(), pid: process.pid, roles, seenAt: new Date().toISOString() };
    await redis.set(key, JSON.stringify(value), 'PX', ttlMs);
  };
  const beatFailed = throttledReporter<unknown>(60_000, (err, suppressed) => log.warn({ err, suppressed }, 'worker heartbeat failed; /readyz may count this worker missing'));
  const timer = setInterval(() => void beat().catch(beatFailed), intervalMs);
  timer.unref();
  return {
    beat,
    async stop() {
      clearInterval(timer);
      // Not fatal: the beat expires after ttlMs anyway.
      await redis.del(key).catch((err) => log.debug({ err }, 'could not delete the worker heartbeat'));
    },
  };
}

/** Workers whose heartbeat is at most `withinMs` old. */
export async function listLiveWorkers(redis: IORedis, prefix: string, withinMs: number, now = Date.now()): Promise<WorkerBeat[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', keyPattern(prefix), 'COUNT', 200);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  if (keys.length === 0) return [];
  const values = await redis.mget(...keys);
  return values
    .flatMap((v) => {
      try {
        return v ? [JSON.parse(v) as WorkerBeat] : [];
      } catch {
        return [];
      }
    })
    .filter((b) => now - Date.parse(b.seenAt) <= withinMs);
}
