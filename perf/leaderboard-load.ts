/**
 * perf: the board of a 574-item release with N evaluated submissions (default 1,000) in real Postgres, served by
 * the real server (server/index.ts, built with `npm run build`), loaded over loopback at C connections for D
 * seconds: the board page (/leaderboard/<release>) and its JSON (/api/leaderboard/<release>), each against a
 * static file of the same byte size served by the same server at the same concurrency. Prints requests per
 * second, p95 latency and the ratios (goal: page ≥ 0.5, JSON ≥ 0.7; docs/decisions/263-board-load.md).
 *
 *   npx tsx perf/leaderboard-load.ts [--rows 1000] [--connections 20] [--seconds 10]
 * Needs PERF_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test; a fresh database is created and
 * dropped). Rows are inserted directly (teams, models, submissions, runs, leaderboard rows) from a few real
 * aggregates (aggregateRun + summarizeBoardViews over scored items), so their JSON has the size and shape of
 * published rows without evaluating 574,000 items.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { Pool } from 'undici';
import type { Item } from '../benchmark/item-schema';
import { loadReleaseFolder } from '../benchmark/release/load-folder';
import { generateSynthRelease } from '../benchmark/synth/generate';
import { openDatabase } from '../db/client';
import { releaseSlug } from '../db/queries/releases';
import { importRelease } from '../db/release-import';
import { evaluationRuns, leaderboardRows, models, releases, submissions, teams } from '../db/schema';
import { aggregateRun, scoreItem } from '../evaluator/scoring';
import { summarizeBoardViews } from '../evaluator/scoring/board-views';
import { publicAggregate } from '../workers/publish-run-score';
import { startPlatform } from '../tests/support/processes';
import { eq } from 'drizzle-orm';

const { values } = parseArgs({
  options: { rows: { type: 'string', default: '1000' }, connections: { type: 'string', default: '20' }, seconds: { type: 'string', default: '10' }, profiles: { type: 'string', default: '12' } },
});
const ROWS = Number(values.rows);
const CONNECTIONS = Number(values.connections);
const SECONDS = Number(values.seconds);
const PROFILES = Number(values.profiles);
const adminUrl = process.env.PERF_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const BATCH = 200;

/** A small deterministic PRNG (mulberry32), so every run seeds the same board. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One model's published row contents: item `i` answered right with probability `accuracy`. */
function profile(testItems: Item[], accuracy: number, seed: number) {
  const rand = prng(seed);
  const scores = testItems.map((item) => {
    if (item.task === 'report') return scoreItem(item, rand() < accuracy ? Object.values(item.referenceReport).join('\n') : 'Diagnosis: unremarkable.');
    const wrong = Object.keys(item.options).find((k) => k !== item.answer)!;
    return scoreItem(item, rand() < accuracy ? item.answer : wrong);
  });
  const aggregate = aggregateRun(scores, { resamples: 200 });
  return { score: aggregate.overall?.score ?? 0, nItems: scores.length, breakdown: publicAggregate(aggregate), views: summarizeBoardViews(scores, aggregate.reportMethod), scorerVersion: aggregate.scorerVersion };
}

interface LoadResult { rps: number; p95: number; requests: number; bytes: number }

/** C connections each sending GET `path` back to back for `seconds`, bodies read in full; non-200 answers fail. */
async function load(baseUrl: string, urlPath: string, seconds: number): Promise<LoadResult> {
  const pool = new Pool(baseUrl, { connections: CONNECTIONS, pipelining: 1 });
  const latencies: number[] = [];
  let bytes = 0;
  const deadline = performance.now() + seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      const res = await pool.request({ path: urlPath, method: 'GET' });
      for await (const chunk of res.body) bytes += (chunk as Buffer).length;
      if (res.statusCode !== 200) throw new Error(`${urlPath}: HTTP ${res.statusCode}`);
      latencies.push(performance.now() - t0);
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  const elapsed = (performance.now() - start) / 1000;
  await pool.close();
  latencies.sort((a, b) => a - b);
  return { rps: latencies.length / elapsed, p95: latencies[Math.floor(latencies.length * 0.95)] ?? NaN, requests: latencies.length, bytes };
}

async function main() {
  const dbName = `sbh_perf_${randomBytes(5).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${dbName}`);
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  const work = await mkdtemp(path.join(tmpdir(), 'sbh-perf-board-'));
  const staticDir = path.resolve('build/client');
  const staticNames: string[] = [];
  let platform: Awaited<ReturnType<typeof startPlatform>> | undefined;
  try {
    const handle = await openDatabase({ databaseUrl: url.toString(), dataDir: work });
    const db = handle.db;
    await generateSynthRelease({ seed: 1, outDir: path.join(work, 'release') });
    const loaded = await loadReleaseFolder(path.join(work, 'release'));
    const { releaseId } = await importRelease(db, loaded, { imageStoreDir: path.join(work, 'store') });
    const [release] = await db.update(releases).set({ status: 'published', publishedAt: new Date() }).where(eq(releases.id, releaseId)).returning();
    const testItems = loaded.items.filter((i) => i.split === 'test');
    console.log(`release ${releaseSlug(release)}: ${testItems.length} test items`);

    const profiles = Array.from({ length: PROFILES }, (_, k) => profile(testItems, 0.3 + (0.6 * k) / Math.max(1, PROFILES - 1), k + 1));
    // Rank = 1 + rows with a higher score (evaluator/scoring/ranking.ts RANK_RULE, without the paired test).
    const rankOf = (i: number) => 1 + Array.from({ length: ROWS }, (_, j) => profiles[j % PROFILES].score).filter((s) => s > profiles[i % PROFILES].score).length;
    for (let start = 0; start < ROWS; start += BATCH) {
      const idx = Array.from({ length: Math.min(BATCH, ROWS - start) }, (_, k) => start + k);
      const teamRows = await db.insert(teams).values(idx.map((i) => ({ name: `Team ${i}`, nameKey: `team ${i}` }))).returning({ id: teams.id });
      const modelRows = await db.insert(models).values(idx.map((i, k) => ({ teamId: teamRows[k].id, name: `model-${i}`, nameKey: `model-${i}`, kind: 'endpoint' as const, endpointUrl: 'https://example.org/v1', endpointModel: `m${i}` }))).returning({ id: models.id });
      const subRows = await db.insert(submissions).values(modelRows.map((m) => ({ modelId: m.id, releaseId, split: 'test' as const }))).returning({ id: submissions.id });
      const runRows = await db
        .insert(evaluationRuns)
        .values(subRows.map((s) => ({ submissionId: s.id, status: 'succeeded' as const, totalItems: testItems.length, doneItems: testItems.length, scorerVersion: profiles[0].scorerVersion, adapterSettings: { kind: 'endpoint' as const, url: 'https://example.org/v1', model: 'm', timeoutMs: 60_000, attempts: 3, temperature: 0 as const }, startedAt: new Date(), finishedAt: new Date() })))
        .returning({ id: evaluationRuns.id });
      await db.insert(leaderboardRows).values(idx.map((i, k) => {
        const p = profiles[i % PROFILES];
        const rank = rankOf(i);
        return { runId: runRows[k].id, releaseId, modelId: modelRows[k].id, split: 'test' as const, score: p.score, rank, rankLow: Math.max(1, rank - 40), rankHigh: rank + 40, nItems: p.nItems, breakdown: p.breakdown, views: p.views, scorerVersion: p.scorerVersion, releaseHash: release.contentHash };
      }));
    }
    console.log(`board: ${ROWS} rows from ${PROFILES} aggregates`);
    await handle.close();

    platform = await startPlatform({ databaseUrl: url.toString(), extraEnv: { SEED_DEMO: '0' } });
    const slug = encodeURIComponent(releaseSlug(release));
    const targets = { page: `/leaderboard/${slug}`, json: `/api/leaderboard/${slug}` };
    const results: Record<string, { target: LoadResult; static: LoadResult }> = {};
    for (const [label, target] of Object.entries(targets)) {
      const first = await fetch(platform.baseUrl + target);
      if (!first.ok) throw new Error(`${target}: HTTP ${first.status}`);
      const size = (await first.arrayBuffer()).byteLength;
      // A static file of the same byte size, served by the same express.static as the favicon (build/client).
      const name = `perf-static-${randomBytes(4).toString('hex')}.${label === 'page' ? 'html' : 'json'}`;
      await writeFile(path.join(staticDir, name), Buffer.alloc(size, 'x'));
      staticNames.push(name);
      await load(platform.baseUrl, target, 1); // warm-up: JIT and caches
      await load(platform.baseUrl, `/${name}`, 1);
      results[label] = { static: await load(platform.baseUrl, `/${name}`, SECONDS), target: await load(platform.baseUrl, target, SECONDS) };
      console.log(`${label.padEnd(5)} ${(size / 1024).toFixed(0)} KiB: ${results[label].target.rps.toFixed(0)} req/s, p95 ${results[label].target.p95.toFixed(1)} ms; static ${results[label].static.rps.toFixed(0)} req/s, p95 ${results[label].static.p95.toFixed(1)} ms`);
    }
    console.log(`connections: ${CONNECTIONS}, ${SECONDS} s each`);
    console.log(`ratio page/static ${(results.page.target.rps / results.page.static.rps).toFixed(2)} (goal ≥ 0.5), JSON/static ${(results.json.target.rps / results.json.static.rps).toFixed(2)} (goal ≥ 0.7)`);
  } finally {
    await platform?.proc.stop();
    for (const name of staticNames) await rm(path.join(staticDir, name), { force: true });
    await rm(work, { recursive: true, force: true });
    if (platform) await rm(platform.dataDir, { recursive: true, force: true });
    await admin.unsafe(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end({ timeout: 5 });
  }
}

await main();
