/**
 * perf: a run of N items through the real fleet (BullMQ on Redis, Postgres, shards, per-item commits)
 * against a zero-latency endpoint on loopback, versus a bare HTTP client sending the same requests at the
 * same concurrency. Prints the ratio (goal: at most 1.25).
 *
 *   npx tsx perf/fleet-throughput.ts [--items 5000] [--rounds 3] [--latency-ms 0]
 * --latency-ms delays every answer, as a real model would; 0 is the zero-latency endpoint.
 * Needs PERF_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test; a fresh database is created)
 * and PERF_REDIS_URL (default redis://127.0.0.1:6379).
 */
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { Agent, request } from 'undici';
import type { McqItem } from '../benchmark/item-schema';
import { openDatabase } from '../db/client';
import { createEndpointSubmission } from '../db/queries/submissions';
import { items, releases, teams } from '../db/schema';
import { buildChatRequest, chatCompletionsUrl } from '../evaluator/adapters/endpoint';
import { createRequestLimiter } from '../evaluator/net/limiter';
import { buildMcqPrompt } from '../evaluator/prompt';
import { startBaselineServer } from '../evaluator/baselines/baseline-server';
import { createBullmqQueue, startBullmqWorkers } from '../workers/bullmq-queue';
import { createRunProcessors } from '../workers/run-processors';
import { SCORER_VERSION } from '../evaluator/scoring';
import { asStoredItem, fixtureManifest } from '../tests/support/stored-rows';

const { values } = parseArgs({
  options: { items: { type: 'string', default: '5000' }, 'shard-size': { type: 'string', default: '100' }, rounds: { type: 'string', default: '3' }, 'latency-ms': { type: 'string', default: '0' } },
});
const N = Number(values.items);
const SHARD_SIZE = Number(values['shard-size']);
const ROUNDS = Number(values.rounds);
const LATENCY_MS = Number(values['latency-ms']);
const WORKER_CONCURRENCY = 4;
const ITEM_CONCURRENCY = 4;
const CONCURRENCY = WORKER_CONCURRENCY * ITEM_CONCURRENCY;
const adminUrl = process.env.PERF_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const redisUrl = process.env.PERF_REDIS_URL ?? 'redis://127.0.0.1:6379';

function perfItem(n: number): McqItem {
  return {
    id: `perf-${n}`, split: 'test', task: 'mcq', inputKind: 'text', language: 'en',
    question: `[perf ${n}] Which lumbar level is named in this synthetic note?`,
    options: { A: 'L1', B: 'L2', C: 'L3', D: 'L4', E: 'L5' }, answer: 'A',
    skill: 'level_identification', region: 'lumbar', pathology: 'none', levels: ['L1'], images: [],
    provenance: { source: 'perf', synthetic: true },
  };
}

async function main() {
  const dbName = `sbh_perf_${Date.now()}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${dbName}`);
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  const handle = await openDatabase({ databaseUrl: url.toString(), dataDir: '/tmp' });
  const endpoint = await startBaselineServer(0, { latencyMs: LATENCY_MS });
  const prefix = `sbh-perf-${Date.now()}`;
  try {
    const [release] = await handle.db.insert(releases).values({ name: 'perf', version: '1', status: 'published', contentHash: 'perf', manifest: fixtureManifest('perf') }).returning();
    const perfItems = Array.from({ length: N }, (_, n) => perfItem(n));
    for (let i = 0; i < N; i += 1000) {
      await handle.db.insert(items).values(perfItems.slice(i, i + 1000).map((item, k) => ({ releaseId: release.id, itemKey: item.id, split: 'test' as const, task: 'mcq' as const, ordinal: i + k, payload: asStoredItem(item) })));
    }

    // Bare clients: the same request bodies, the same concurrency, nothing else. undici's request() with a
    // keep-alive pool is the client the platform itself is built on, and the fastest: it is the baseline.
    // Node's global fetch, which most scripts would use, is ≈4× slower per request; it is shown for reference.
    const limiter = createRequestLimiter({ concurrency: CONCURRENCY });
    const bareAgent = new Agent({ connections: CONCURRENCY });
    const bodies = perfItems.map((item) => JSON.stringify(buildChatRequest('always-a', buildMcqPrompt(item, []))));
    const headers = { 'content-type': 'application/json' };
    const sendAll = async (send: (body: string) => Promise<unknown>) => {
      const t0 = performance.now();
      await Promise.all(bodies.map((body) => limiter.schedule(() => send(body))));
      return performance.now() - t0;
    };
    const runBare = () => sendAll(async (body) => (await request(chatCompletionsUrl(endpoint.url), { method: 'POST', headers, body, dispatcher: bareAgent })).body.json());
    const runFetch = () => sendAll(async (body) => (await fetch(chatCompletionsUrl(endpoint.url), { method: 'POST', headers, body })).json());

    // The platform: a run through BullMQ shards, per-item scoring and commits.
    const settings = { endpointTimeoutMs: 10_000, endpointAttempts: 3, shardSize: SHARD_SIZE, itemConcurrency: ITEM_CONCURRENCY, endpointAllowList: ['127.0.0.1'], secretKey: Buffer.alloc(32), imageStoreDir: '/tmp', judge: null };
    const processors = createRunProcessors(handle.db, settings);
    const queue = createBullmqQueue({ redisUrl, prefix, shardBackoffMs: 500 }, processors.planRun);
    const workers = startBullmqWorkers({ redisUrl, prefix, roles: ['endpoint', 'scoring'], concurrency: WORKER_CONCURRENCY, lockDurationMs: 30_000, maxShardsPerRun: WORKER_CONCURRENCY }, processors);
    const sql = postgres(url.toString(), { max: 1 });
    const [perfTeam] = await handle.db.insert(teams).values({ name: 'perf', nameKey: 'perf' }).returning();
    const runPlatform = async (round: number) => {
      const modelName = `always-a-${round}`;
      const { run } = await createEndpointSubmission(handle.db, { teamId: perfTeam.id, submittedBy: null, modelName, modelNameKey: modelName, endpointUrl: endpoint.url, endpointModel: 'always-a', releaseId: release.id, split: 'test', scorerVersion: SCORER_VERSION, adapterSettings: {} });
      const t1 = performance.now();
      await queue.enqueueRun(run.id);
      let itemsDone = 0;
      for (;;) {
        const [r] = await sql`select status, done_items from evaluation_runs where id = ${run.id}`;
        if (!itemsDone && r.done_items === N) itemsDone = performance.now() - t1;
        if (r.status === 'succeeded' || r.status === 'failed') {
          if (r.status === 'failed') throw new Error('perf run failed');
          break;
        }
        await new Promise((res) => setTimeout(res, 20));
      }
      return { items: itemsDone, run: performance.now() - t1 };
    };

    // Rounds alternate bare and platform, so neither side alone pays for a cold JIT or a noisy minute.
    console.log(`items: ${N}, concurrency: ${CONCURRENCY} (shards of ${SHARD_SIZE}), endpoint latency: ${LATENCY_MS} ms, rounds: ${ROUNDS}`);
    const rows: Array<{ bare: number; fetch: number; items: number; run: number }> = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const bare = await runBare();
      const fetched = await runFetch();
      const platform = await runPlatform(round);
      rows.push({ bare, fetch: fetched, ...platform });
      console.log(`round ${round}: bare undici ${bare.toFixed(0)} ms, bare fetch ${fetched.toFixed(0)} ms, platform items ${platform.items.toFixed(0)} ms, run ${platform.run.toFixed(0)} ms (a board of ${round})`);
    }
    await sql.end();
    await bareAgent.close();
    await workers.close();
    await queue.close();

    const total = (key: 'bare' | 'fetch' | 'items' | 'run') => rows.reduce((s, r) => s + r[key], 0);
    const rate = (key: 'bare' | 'fetch' | 'run') => (((N * ROUNDS) / total(key)) * 1000).toFixed(0);
    console.log(`items/s: bare undici ${rate('bare')}, bare fetch ${rate('fetch')}, platform ${rate('run')}`);
    console.log(`ratio items/bare undici: ${(total('items') / total('bare')).toFixed(2)} (every item answered, scored and committed)`);
    console.log(`ratio run/bare undici:   ${(total('run') / total('bare')).toFixed(2)} (goal <= 1.25; incl. bootstrap intervals and board ranking)`);
    console.log(`ratio run/bare fetch:    ${(total('run') / total('fetch')).toFixed(2)} (reference: against Node's global fetch)`);
  } finally {
    await endpoint.close();
    await handle.close();
    await admin.unsafe(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }
  process.exit(0);
}

void main();
