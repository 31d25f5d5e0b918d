/**
 * perf: a run of N items through the real fleet (BullMQ on Redis, Postgres, shards, per-item commits)
 * against a zero-latency endpoint on loopback, versus a bare HTTP client sending the same requests at the
 * same concurrency. Prints the ratio (goal: at most 1.25).
 *
 *   npx tsx perf/fleet-throughput.ts [--items 5000]
 * Needs PERF_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test; a fresh database is created)
 * and PERF_REDIS_URL (default redis://127.0.0.1:6379).
 */
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import type { McqItem } from '../benchmark/item-schema';
import { openDatabase } from '../db/client';
import { createEndpointSubmission } from '../db/queries/submissions';
import { items, releases } from '../db/schema';
import { buildChatRequest, chatCompletionsUrl } from '../evaluator/adapters/endpoint';
import { createRequestLimiter } from '../evaluator/net/limiter';
import { buildMcqPrompt } from '../evaluator/prompt';
import { startBaselineServer } from '../evaluator/baselines/baseline-server';
import { createBullmqQueue, startBullmqWorkers } from '../workers/bullmq-queue';
import { createRunProcessors } from '../workers/run-processors';
import { SCORER_VERSION } from '../evaluator/scoring';

const { values } = parseArgs({ options: { items: { type: 'string', default: '5000' }, 'shard-size': { type: 'string', default: '100' } } });
const N = Number(values.items);
const SHARD_SIZE = Number(values['shard-size']);
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
  const endpoint = await startBaselineServer();
  const prefix = `sbh-perf-${Date.now()}`;
  try {
    const [release] = await handle.db.insert(releases).values({ name: 'perf', version: '1', status: 'published', contentHash: 'perf', manifest: {} }).returning();
    const perfItems = Array.from({ length: N }, (_, n) => perfItem(n));
    for (let i = 0; i < N; i += 1000) {
      await handle.db.insert(items).values(perfItems.slice(i, i + 1000).map((item, k) => ({ releaseId: release.id, itemKey: item.id, split: 'test' as const, task: 'mcq' as const, ordinal: i + k, payload: item })));
    }

    // Bare client: the same request bodies, the same concurrency, nothing else.
    const limiter = createRequestLimiter({ concurrency: CONCURRENCY });
    const bodies = perfItems.map((item) => JSON.stringify(buildChatRequest('always-a', buildMcqPrompt(item, []))));
    const t0 = performance.now();
    await Promise.all(bodies.map((body) => limiter.schedule(async () => {
      const res = await fetch(chatCompletionsUrl(endpoint.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      await res.json();
    })));
    const bare = performance.now() - t0;

    // The platform: a run through BullMQ shards, per-item scoring and commits.
    const settings = { endpointTimeoutMs: 10_000, endpointAttempts: 3, shardSize: SHARD_SIZE, itemConcurrency: ITEM_CONCURRENCY, endpointAllowList: ['127.0.0.1'], secretKey: Buffer.alloc(32), imageStoreDir: '/tmp', judge: null };
    const processors = createRunProcessors(handle.db, settings);
    const queue = createBullmqQueue({ redisUrl, prefix, shardBackoffMs: 500 }, processors.planRun);
    const workers = startBullmqWorkers({ redisUrl, prefix, roles: ['endpoint', 'scoring'], concurrency: WORKER_CONCURRENCY, lockDurationMs: 30_000, maxShardsPerRun: WORKER_CONCURRENCY }, processors);
    const { run } = await createEndpointSubmission(handle.db, { teamName: 'perf', modelName: 'always-a', endpointUrl: endpoint.url, endpointModel: 'always-a', releaseId: release.id, split: 'test', scorerVersion: SCORER_VERSION, adapterSettings: {} });
    const t1 = performance.now();
    await queue.enqueueRun(run.id);
    const sql = postgres(url.toString(), { max: 1 });
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
    const platform = performance.now() - t1;
    await sql.end();
    await workers.close();
    await queue.close();

    console.log(`items: ${N}, concurrency: ${CONCURRENCY} (shards of ${SHARD_SIZE})`);
    console.log(`bare HTTP client: ${bare.toFixed(0)} ms (${((N / bare) * 1000).toFixed(0)} items/s)`);
    console.log(`platform, items:  ${itemsDone.toFixed(0)} ms until every item was answered, scored and committed`);
    console.log(`platform, run:    ${platform.toFixed(0)} ms (${((N / platform) * 1000).toFixed(0)} items/s), incl. bootstrap intervals and board ranking`);
    console.log(`ratio items/bare: ${(itemsDone / bare).toFixed(2)}`);
    console.log(`ratio run/bare:   ${(platform / bare).toFixed(2)} (goal <= 1.25)`);
  } finally {
    await endpoint.close();
    await handle.close();
    await admin.unsafe(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }
  process.exit(0);
}

void main();
