import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import postgres from 'postgres';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DEMO_RELEASE, demoTestItems, oracleAnswer, oracleExpected } from '../support/demo-oracle';

const oracleExpectedTestScore = oracleExpected.overall!.score;
import { startFakeEndpoint, type FakeEndpoint } from '../support/fake-chat-endpoint';
import { getJson, getText, submitEndpointRun, waitFor, waitForRunEnd, type RunJson } from '../support/platform-client';
import { startPlatform, startWorker, type RunningProcess } from '../support/processes';
import { createTestDatabase, realServicesAvailable, TEST_REDIS_URL } from '../support/services';
import { getAs, teamMember } from '../support/accounts';

const servicesUp = await realServicesAvailable();

/**
 * Answers slow enough that a run of the 40 demo test items is still going when a test interrupts it: the
 * probes poll every 250 ms, and at 40 ms per answer a fast worker can finish in between.
 */
const slowOracle = (_model: string, text: string) => ({ content: oracleAnswer(text), delayMs: 150 });

const FLEET_ENV = {
  // These runs repeat the same model to compare scores; the Ladder (which withholds non-improving runs) is off.
  HIDDEN_SCORE_LADDER_Z: '0',
  ENDPOINT_TIMEOUT_MS: '1500',
  SHARD_SIZE: '5',
  ITEM_CONCURRENCY: '1',
  WORKER_LOCK_MS: '2000',
  SHARD_BACKOFF_MS: '300',
  JANITOR_INTERVAL_MS: '1000',
};

describe.runIf(servicesUp)('evaluator fleet on real Postgres and Redis', () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn().catch(() => {});
  });

  async function fleet(opts: { redisUrl?: string; reply?: Parameters<typeof startFakeEndpoint>[0]; env?: Record<string, string> } = {}) {
    const endpoint: FakeEndpoint = await startFakeEndpoint(
      opts.reply ?? ((_model, text) => ({ content: oracleAnswer(text), delayMs: 40 })),
    );
    cleanup.push(() => endpoint.close());
    const database = await createTestDatabase();
    cleanup.push(() => database.drop());
    const platform = await startPlatform({
      databaseUrl: database.url,
      redisUrl: opts.redisUrl ?? TEST_REDIS_URL,
      extraEnv: { ...FLEET_ENV, ...opts.env, QUEUE_PREFIX: `sbh-fleet-${process.pid}-${Date.now()}` },
    });
    cleanup.push(() => platform.proc.stop());
    const sql = postgres(database.url, { max: 1, onnotice: () => {} });
    cleanup.push(() => sql.end());
    const workers: RunningProcess[] = [];
    const addWorker = async () => {
      const w = await startWorker(platform.env);
      workers.push(w);
      cleanup.push(() => w.stop('SIGKILL'));
      return w;
    };
    const member = await teamMember(platform, 'Fleet Lab');
    const submit = (endpointModel = 'oracle', modelName = `model-${Math.random().toString(36).slice(2, 7)}`) =>
      submitEndpointRun(platform.baseUrl, member, { modelName, endpointUrl: endpoint.url, endpointModel, release: DEMO_RELEASE });
    const runJson = (id: number) => getJson<RunJson>(platform.baseUrl, `/api/runs/${id}`);
    const resultCounts = async (runId: number) => {
      const [row] = await sql`select count(*)::int as n, count(distinct item_id)::int as distinct_items from item_results where run_id = ${runId}`;
      return row as { n: number; distinct_items: number };
    };
    return { endpoint, platform, member, sql, addWorker, submit, runJson, resultCounts, baseUrl: platform.baseUrl };
  }

  it('a worker killed with SIGKILL mid-run: a second worker finishes it, every item exactly once, same score', async () => {
    const f = await fleet({ reply: slowOracle });
    const first = await f.addWorker();
    const runId = await f.submit();
    await waitFor('some items done', async () => ((await f.runJson(runId)).doneItems >= 6 ? true : null));
    await first.stop('SIGKILL');
    const doneAtKill = (await f.runJson(runId)).doneItems;
    expect(doneAtKill).toBeLessThan(demoTestItems.length);

    await f.addWorker();
    const run = await waitForRunEnd(f.baseUrl, runId);
    expect(run.status).toBe('succeeded');
    expect(await f.resultCounts(runId)).toEqual({ n: demoTestItems.length, distinct_items: demoTestItems.length });
    expect(run.doneItems).toBe(demoTestItems.length);

    const uninterrupted = await waitForRunEnd(f.baseUrl, await f.submit());
    expect(run.score).toBeCloseTo(oracleExpectedTestScore, 6);
    expect(run.score).toBe(uninterrupted.score);
  });

  it('sends the bearer token, stores it encrypted, and never shows it', async () => {
    const f = await fleet();
    await f.addWorker();
    const token = 'sk-test-4f1c9a77e2';
    const runId = await submitEndpointRun(f.baseUrl, f.member, {
      modelName: 'token-model', endpointUrl: f.endpoint.url, endpointModel: 'oracle', release: DEMO_RELEASE, endpointToken: token,
    });
    expect((await waitForRunEnd(f.baseUrl, runId)).status).toBe('succeeded');
    expect(f.endpoint.requests.every((r) => r.authorization === `Bearer ${token}`)).toBe(true);
    const [row] = await f.sql`select endpoint_token_encrypted as t from models where name = 'token-model'`;
    expect(row.t).toMatch(/^v1\./);
    expect(row.t).not.toContain(token);
    for (const path of [`/runs/${runId}`, `/api/runs/${runId}`, '/', '/queue']) {
      expect((await getText(f.baseUrl, path)).text).not.toContain(token);
    }
  });

  it('caps the parallel requests of one submission across several workers', async () => {
    const f = await fleet({ env: { MAX_SHARDS_PER_RUN: '2', ITEM_CONCURRENCY: '2', SHARD_SIZE: '3' } });
    await f.addWorker();
    await f.addWorker();
    const run = await waitForRunEnd(f.baseUrl, await f.submit());
    expect(run.status).toBe('succeeded');
    expect(f.endpoint.maxInFlight()).toBeLessThanOrEqual(4);
    expect(f.endpoint.maxInFlight()).toBeGreaterThan(1);
  });

  it('an endpoint failing 30% of requests with 503, and a slow one: runs finish with correct scores', async () => {
    let n = 0;
    const f = await fleet({
      reply: (model, text) => {
        if (model === 'flaky') return ++n % 10 < 3 ? { status: 503 } : { content: oracleAnswer(text) };
        return { content: oracleAnswer(text), delayMs: 400 };
      },
    });
    await f.addWorker();
    const [flaky, slow] = [await f.submit('flaky'), await f.submit('slow')];
    for (const runId of [flaky, slow]) {
      const run = await waitForRunEnd(f.baseUrl, runId);
      expect(run.status).toBe('succeeded');
      expect(run.score).toBeCloseTo(oracleExpectedTestScore, 6);
      expect(await f.resultCounts(runId)).toEqual({ n: demoTestItems.length, distinct_items: demoTestItems.length });
    }
    expect(f.endpoint.requests.filter((r) => r.model === 'flaky').length).toBeGreaterThan(demoTestItems.length);
  });

  it('an endpoint that is down ends the run with a typed error and refunds the quota', async () => {
    const f = await fleet({ reply: () => ({ status: 503 }) });
    await f.addWorker();
    const before = (await getAs(f.baseUrl, '/submit', f.member.cookie)).text;
    expect(before).toMatch(/5 of 5 hidden-split runs left today/);
    const run = await waitForRunEnd(f.baseUrl, await f.submit('down'));
    expect(run.status).toBe('failed');
    expect(run.errorCode).toBe('http_status');
    const after = (await getAs(f.baseUrl, '/submit', f.member.cookie)).text;
    expect(after).toMatch(/5 of 5 hidden-split runs left today/);
  });

  it('a worker asked to stop (SIGTERM) hands back its shard; another worker resumes it', async () => {
    const f = await fleet({ reply: slowOracle });
    const first = await f.addWorker();
    const runId = await f.submit();
    await waitFor('some items done', async () => ((await f.runJson(runId)).doneItems >= 3 ? true : null));
    await first.stop('SIGTERM');
    expect(first.output()).toContain('handing back');
    expect((await f.runJson(runId)).doneItems).toBeLessThan(demoTestItems.length);
    await f.addWorker();
    const run = await waitForRunEnd(f.baseUrl, runId);
    expect(run.status).toBe('succeeded');
    expect(await f.resultCounts(runId)).toEqual({ n: demoTestItems.length, distinct_items: demoTestItems.length });
  });

  describe('with its own Redis server', () => {
    let redis: ChildProcess | undefined;
    const port = 16_000 + (process.pid % 1000);
    const startRedis = async () => {
      redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
      await waitFor('redis up', async () => {
        const ok = await new Promise<boolean>((resolve) => {
          const s = net.connect(port, '127.0.0.1');
          s.once('connect', () => (s.destroy(), resolve(true)));
          s.once('error', () => resolve(false));
        });
        return ok || null;
      }, 10_000);
    };
    const stopRedis = () =>
      new Promise<void>((resolve) => {
        // A killed redis-server has a signalCode and no exitCode; waiting for its 'exit' again would hang.
        if (!redis || redis.exitCode !== null || redis.signalCode !== null) return resolve();
        redis.once('exit', () => resolve());
        redis.kill('SIGKILL');
      });
    afterAll(stopRedis);

    it('a Redis restart in the middle of a run: the run still finishes, every item exactly once', async () => {
      await startRedis();
      const f = await fleet({ redisUrl: `redis://127.0.0.1:${port}`, reply: slowOracle });
      const worker = await f.addWorker();
      const runId = await f.submit();
      await waitFor('some items done', async () => ((await f.runJson(runId)).doneItems >= 5 ? true : null));
      const since = [worker, f.platform.proc].map((p) => ({ p, from: p.output().length }));
      const logsSinceOutage = () => since.map(({ p, from }) => p.output().slice(from)).join('\n');
      await stopRedis();
      expect((await f.runJson(runId)).doneItems).toBeLessThan(demoTestItems.length);
      // A real outage: the fleet has lost its connections and logged it (the first Redis error of each connection is
      // logged at once: workers/bullmq-queue.ts, server/index.ts) before Redis comes back.
      await waitFor('the fleet to notice Redis is gone', async () => (/worker error|Redis error; retrying|probe connection to Redis failed/.test(logsSinceOutage()) ? true : null), 30_000).catch((e) => {
        throw new Error(`${e.message} Logs since the outage:\n${logsSinceOutage()}`);
      });
      await startRedis(); // empty: it keeps nothing on disk, so the queued shards are gone
      const run = await waitForRunEnd(f.baseUrl, runId);
      expect(run.status).toBe('succeeded');
      expect(run.score).toBeCloseTo(oracleExpectedTestScore, 6);
      expect(await f.resultCounts(runId)).toEqual({ n: demoTestItems.length, distinct_items: demoTestItems.length });
    });
  });
});
