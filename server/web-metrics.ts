import { Gauge } from 'prom-client';
import type IORedis from 'ioredis';
import type { Database } from '../db/client';
import { countRunsByStatus } from '../db/queries/run-counts';
import { metricsRegistry } from '../workers/metrics';
import type { RunQueue } from '../workers/queue';
import { listLiveWorkers } from '../workers/worker-heartbeat';
import { log } from '../log/logger';

export interface WebMetricsDeps {
  db: Database;
  queue: RunQueue;
  redis?: IORedis;
  queuePrefix: string;
  workerSeenWithinMs: number;
}

const report = (what: string) => (err: unknown) => log.warn({ err, gauge: what }, 'metrics: a gauge could not be read');

/**
 * Gauges read at scrape time from the shared state (database, queue engine, heartbeats), so they are
 * registered by the web process only: every worker would report the same numbers.
 */
export function registerWebGauges(deps: WebMetricsDeps): void {
  const registers = [metricsRegistry];
  new Gauge({
    name: 'spinebench_runs',
    help: 'Evaluation runs by state (from the database).',
    labelNames: ['status'] as const,
    registers,
    async collect() {
      const counts = await countRunsByStatus(deps.db).catch(report('runs by state'));
      if (counts) for (const [status, n] of Object.entries(counts)) this.set({ status }, n);
    },
  });
  new Gauge({
    name: 'spinebench_queue_jobs',
    help: 'Jobs held by the queue engine, by queue and state (waiting + prioritized = depth).',
    labelNames: ['queue', 'state'] as const,
    registers,
    async collect() {
      const depth = await deps.queue.depth().catch(report('queue depth'));
      if (depth) for (const d of depth) this.set({ queue: d.queue, state: d.state }, d.count);
    },
  });
  new Gauge({
    name: 'spinebench_workers_seen',
    help: 'Workers whose heartbeat is recent (WORKER_SEEN_WITHIN_MS), by queue role.',
    labelNames: ['role'] as const,
    registers,
    async collect() {
      if (!deps.redis) return;
      const live = await listLiveWorkers(deps.redis, deps.queuePrefix, deps.workerSeenWithinMs).catch(report('workers'));
      if (!live) return;
      this.reset();
      for (const role of ['endpoint', 'onnx', 'scoring']) this.set({ role }, live.filter((w) => w.roles.includes(role)).length);
    },
  });
}
