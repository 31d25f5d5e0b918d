import { sql } from 'drizzle-orm';
import type IORedis from 'ioredis';
import { executeRows, type Database } from '../db/client';
import { migrationStatus } from '../db/migration-status';
import { listLiveWorkers } from '../workers/worker-heartbeat';

export interface ReadinessCheck {
  name: 'database' | 'redis' | 'migrations' | 'workers';
  ok: boolean;
  /** Whether a failure makes this process not ready (503). Missing workers do not: pages still serve. */
  critical: boolean;
  detail: string;
}

export interface ReadinessDeps {
  db: Database;
  /** Present when REDIS_URL is configured. */
  redis?: IORedis;
  queuePrefix: string;
  /** True when this process runs the jobs itself (the in-process queue, or PLATFORM_ROLE=all). */
  processesJobs: boolean;
  workerSeenWithinMs: number;
  /** Each check gives up after this long (a hung dependency must not hang the probe). */
  timeoutMs?: number;
}

function withTimeout<T>(what: string, promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

async function check(
  name: ReadinessCheck['name'],
  critical: boolean,
  timeoutMs: number,
  probe: () => Promise<{ ok: boolean; detail: string }>,
): Promise<ReadinessCheck> {
  try {
    return { name, critical, ...(await withTimeout(name, probe(), timeoutMs)) };
  } catch (e) {
    return { name, critical, ok: false, detail: message(e) };
  }
}

/** The checks behind /readyz: database, Redis (when configured), migrations applied, workers seen recently. */
export async function checkReadiness(deps: ReadinessDeps): Promise<{ ready: boolean; checks: ReadinessCheck[] }> {
  const timeoutMs = deps.timeoutMs ?? 2_000;
  const checks = await Promise.all([
    check('database', true, timeoutMs, async () => {
      await executeRows(deps.db, sql`select 1`);
      return { ok: true, detail: 'answers' };
    }),
    check('migrations', true, timeoutMs, async () => {
      const status = await migrationStatus(deps.db);
      return status.pending.length === 0
        ? { ok: true, detail: `all ${status.known} applied` }
        : { ok: false, detail: `not applied: ${status.pending.join(', ')}` };
    }),
    ...(deps.redis
      ? [
          check('redis', true, timeoutMs, async () => {
            const pong = await deps.redis!.ping();
            return { ok: pong === 'PONG', detail: pong === 'PONG' ? 'answers' : `answered ${pong}` };
          }),
        ]
      : []),
    check('workers', false, timeoutMs, async () => {
      if (deps.processesJobs && !deps.redis) return { ok: true, detail: 'jobs run in this process (in-process queue)' };
      const live = deps.redis ? await listLiveWorkers(deps.redis, deps.queuePrefix, deps.workerSeenWithinMs) : [];
      if (live.length > 0) return { ok: true, detail: `${live.length} seen within ${deps.workerSeenWithinMs} ms` };
      return { ok: false, detail: `no worker seen within ${deps.workerSeenWithinMs} ms` };
    }),
  ]);
  return { ready: checks.every((c) => c.ok || !c.critical), checks };
}
