import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_RELEASE, demoTestItems, oracleAnswer } from '../support/demo-oracle';
import { startFakeEndpoint } from '../support/fake-chat-endpoint';
import { getJson, submitEndpointRun, waitFor, waitForRunEnd } from '../support/platform-client';
import { startPlatform, startWorker } from '../support/processes';
import { sampleSum, scrape } from '../support/prometheus';
import { createTestDatabase, realServicesAvailable, TEST_REDIS_URL } from '../support/services';
import { teamMember } from '../support/accounts';

const servicesUp = await realServicesAvailable();
const TOKEN = 'metrics-secret-7f3a';

interface Readiness {
  status: string;
  checks: Array<{ name: string; ok: boolean; critical: boolean; detail: string }>;
}

const readiness = async (baseUrl: string) => {
  const res = await fetch(new URL('/readyz', baseUrl));
  return { status: res.status, body: (await res.json()) as Readiness };
};
const checkOf = (r: Readiness, name: string) => r.checks.find((c) => c.name === name);

/** Every run on the platform has ended (the demo baselines included), so counters are quiet. */
async function waitForIdle(baseUrl: string) {
  await waitFor('the queue to drain', async () => {
    const res = await fetch(new URL('/queue', baseUrl));
    return (await res.text()).includes('The queue is empty.');
  }, 120_000);
}

describe('operations: probes and metrics', () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn().catch(() => {});
  });

  async function oracleEndpoint() {
    const endpoint = await startFakeEndpoint((_model, text) => ({ content: oracleAnswer(text) }));
    cleanup.push(() => endpoint.close());
    return endpoint;
  }

  it.runIf(servicesUp)('web process and a standalone worker (Postgres + Redis): counters move with a run; readyz follows the worker', async () => {
    const endpoint = await oracleEndpoint();
    const database = await createTestDatabase();
    cleanup.push(() => database.drop());
    const platform = await startPlatform({
      databaseUrl: database.url,
      redisUrl: TEST_REDIS_URL,
      extraEnv: { QUEUE_PREFIX: `sbh-ops-${process.pid}-${Date.now()}`, SHARD_SIZE: '10', METRICS_TOKEN: TOKEN },
    });
    cleanup.push(() => platform.proc.stop());

    // Liveness needs nothing; readiness without any worker: serving, but degraded, and it says why.
    expect((await fetch(new URL('/healthz', platform.baseUrl))).status).toBe(200);
    const before = await readiness(platform.baseUrl);
    expect(before.status).toBe(200);
    expect(before.body.status).toBe('degraded');
    expect(checkOf(before.body, 'database')?.ok).toBe(true);
    expect(checkOf(before.body, 'redis')?.ok).toBe(true);
    expect(checkOf(before.body, 'migrations')).toMatchObject({ ok: true });
    expect(checkOf(before.body, 'workers')).toMatchObject({ ok: false, critical: false });

    const worker = await startWorker({ ...platform.env, WORKER_METRICS_PORT: '0' });
    cleanup.push(() => worker.stop('SIGKILL'));
    const workerMetrics = /metrics (http:\/\/\S+\/metrics)/.exec(worker.output())![1];
    await waitFor('readyz to see the worker', async () => (await readiness(platform.baseUrl)).body.status === 'ready');

    // Without the token neither process shows its numbers.
    expect((await fetch(new URL('/metrics', platform.baseUrl))).status).toBe(401);
    expect((await fetch(workerMetrics)).status).toBe(401);
    const workerHealth = await fetch(workerMetrics.replace(/metrics$/, 'healthz'));
    expect(workerHealth.status).toBe(200);

    await waitForIdle(platform.baseUrl);
    const web0 = await scrape(new URL('/metrics', platform.baseUrl).href, TOKEN);
    const worker0 = await scrape(workerMetrics, TOKEN);

    const runId = await submitEndpointRun(platform.baseUrl, await teamMember(platform, 'Metrics Lab'), { modelName: 'metrics-model', endpointUrl: endpoint.url, endpointModel: 'oracle', release: DEMO_RELEASE });
    expect((await waitForRunEnd(platform.baseUrl, runId)).status).toBe('succeeded');

    const web1 = await scrape(new URL('/metrics', platform.baseUrl).href, TOKEN);
    const worker1 = await scrape(workerMetrics, TOKEN);
    const delta = (a: typeof web0, b: typeof web0, name: string, labels: Record<string, string> = {}) => sampleSum(b, name, labels) - sampleSum(a, name, labels);

    const n = demoTestItems.length;
    expect(delta(worker0, worker1, 'spinebench_items_evaluated_total', { kind: 'endpoint', outcome: 'scored' })).toBe(n);
    expect(delta(worker0, worker1, 'spinebench_model_call_duration_seconds_count', { kind: 'endpoint' })).toBe(n);
    expect(delta(worker0, worker1, 'spinebench_queue_wait_seconds_count', { split: 'test' })).toBe(1);
    expect(delta(worker0, worker1, 'spinebench_runs_finished_total', { status: 'succeeded' })).toBe(1);
    expect(sampleSum(worker1, 'spinebench_process_resident_memory_bytes')).toBeGreaterThan(0);

    expect(delta(web0, web1, 'spinebench_runs', { status: 'succeeded' })).toBe(1);
    expect(delta(web0, web1, 'spinebench_http_request_duration_seconds_count', { route: '/api/runs', status: '2xx' })).toBeGreaterThan(0);
    expect(sampleSum(web1, 'spinebench_workers_seen', { role: 'endpoint' })).toBe(1);
    expect(web1.some((s) => s.name === 'spinebench_queue_jobs' && s.labels.queue === 'endpoint-shards')).toBe(true);

    // A worker that stops takes its heartbeat with it.
    await worker.stop('SIGTERM');
    await waitFor('readyz to miss the worker', async () => (await readiness(platform.baseUrl)).body.status === 'degraded');
  });

  it('embedded defaults (PGlite, in-process queue): ready with jobs in-process, counters move with a run', async () => {
    const endpoint = await oracleEndpoint();
    const platform = await startPlatform({ extraEnv: { SHARD_SIZE: '10' } });
    cleanup.push(() => platform.proc.stop());
    const ready = await readiness(platform.baseUrl);
    expect(ready).toMatchObject({ status: 200, body: { status: 'ready' } });
    expect(checkOf(ready.body, 'redis')).toBeUndefined();
    expect(checkOf(ready.body, 'workers')?.detail).toMatch(/in-process/);

    await waitForIdle(platform.baseUrl);
    const before = await scrape(new URL('/metrics', platform.baseUrl).href);
    const runId = await submitEndpointRun(platform.baseUrl, await teamMember(platform, 'Embedded Lab'), { modelName: 'embedded-metrics', endpointUrl: endpoint.url, endpointModel: 'oracle', release: DEMO_RELEASE });
    expect((await waitForRunEnd(platform.baseUrl, runId)).status).toBe('succeeded');
    const after = await scrape(new URL('/metrics', platform.baseUrl).href);
    const moved = (name: string, labels: Record<string, string>) => sampleSum(after, name, labels) - sampleSum(before, name, labels);
    expect(moved('spinebench_items_evaluated_total', { kind: 'endpoint', outcome: 'scored' })).toBe(demoTestItems.length);
    expect(moved('spinebench_runs', { status: 'succeeded' })).toBe(1);
    expect(sampleSum(after, 'spinebench_queue_jobs', { queue: 'in-process', state: 'waiting' })).toBe(0);
    const run = await getJson<{ status: string }>(platform.baseUrl, `/api/runs/${runId}`);
    expect(run.status).toBe('succeeded');
  });
});
