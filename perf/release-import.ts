/**
 * npx tsx perf/release-import.ts [--items 100000] [--seed 1]
 *
 * Generates a scaled SpineBench-Synth release, then on real Postgres (DATABASE_URL, or
 * postgres://postgres@127.0.0.1:5432/test; each run in a fresh database, dropped afterwards) measures:
 *   validate  loadReleaseFolder (every line, image, hash)
 *   import    importRelease (image store + one transaction, batched drizzle inserts)
 *   plain     the same item rows inserted with postgres.js multi-row INSERTs (same batch size, one transaction)
 *   copy      the same rows with COPY FROM STDIN (the fastest Postgres path)
 * and prints import/plain and import/copy ratios.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { loadReleaseFolder } from '../benchmark/release/load-folder';
import { generateSynthRelease } from '../benchmark/synth/generate';
import { openDatabase } from '../db/client';
import { ITEM_BATCH_SIZE, importRelease, toStoredItem } from '../db/release-import';

const { values } = parseArgs({ options: { items: { type: 'string', default: '100000' }, seed: { type: 'string', default: '1' } } });
const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const BATCH = ITEM_BATCH_SIZE; // same batch size as importRelease, so the ratio is the importer's own overhead

async function withFreshDatabase<T>(run: (url: string) => Promise<T>): Promise<T> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  const name = `sbh_perf_${randomBytes(5).toString('hex')}`;
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  try {
    return await run(url.toString());
  } finally {
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end({ timeout: 5 });
  }
}

async function timed<T>(label: string, run: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const t0 = performance.now();
  const value = await run();
  const seconds = (performance.now() - t0) / 1000;
  console.log(`${label.padEnd(10)} ${seconds.toFixed(2)} s`);
  return { value, seconds };
}

const work = await mkdtemp(path.join(tmpdir(), 'sbh-perf-'));
try {
  const scale = Number(values.items);
  const dir = path.join(work, 'release');
  await timed('generate', () => generateSynthRelease({ seed: Number(values.seed), outDir: dir, scale }));
  const { value: loaded, seconds: validateSeconds } = await timed('validate', () => loadReleaseFolder(dir));
  console.log(`release   ${loaded.items.length} items, ${loaded.images.size} images`);

  const { seconds: importSeconds } = await withFreshDatabase(async (url) => {
    const handle = await openDatabase({ databaseUrl: url, dataDir: work });
    try {
      return await timed('import', () => importRelease(handle.db, loaded, { imageStoreDir: path.join(work, 'store') }));
    } finally {
      await handle.close();
    }
  });

  // The same rows importRelease writes, prepared up front so the baselines time only the database.
  const rows = loaded.items.map((item, i) => ({ release_id: 1, item_key: item.id, split: item.split, task: item.task, ordinal: i, payload: toStoredItem(item, loaded) }));

  const baseline = async (label: string, write: (sql: postgres.Sql) => Promise<void>) =>
    withFreshDatabase(async (url) => {
      const handle = await openDatabase({ databaseUrl: url, dataDir: work }); // same schema and indexes
      await handle.close();
      const sql = postgres(url, { max: 1, onnotice: () => {} });
      try {
        await sql`insert into releases (name, version, content_hash, manifest) values ('perf', '1', 'x', '{}'::jsonb)`;
        return await timed(label, () => write(sql));
      } finally {
        await sql.end({ timeout: 5 });
      }
    });

  const { seconds: plainSeconds } = await baseline('plain', async (sql) => {
    await sql.begin(async (tx) => {
      for (let start = 0; start < rows.length; start += BATCH) {
        const batch = rows.slice(start, start + BATCH).map((r) => ({ ...r, payload: tx.json(r.payload as postgres.JSONValue) }));
        await tx`insert into items ${tx(batch, 'release_id', 'item_key', 'split', 'task', 'ordinal', 'payload')}`;
      }
    });
  });

  const { seconds: copySeconds } = await baseline('copy', async (sql) => {
    await sql.begin(async (tx) => {
      const stream = await tx`copy items (release_id, item_key, split, task, ordinal, payload) from stdin`.writable();
      const escape = (s: string) => s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
      for (const r of rows) {
        const line = `${r.release_id}\t${escape(r.item_key)}\t${r.split}\t${r.task}\t${r.ordinal}\t${escape(JSON.stringify(r.payload))}\n`;
        if (!stream.write(line)) await new Promise((resolve) => stream.once('drain', resolve));
      }
      stream.end();
      await new Promise((resolve, reject) => {
        stream.once('finish', resolve);
        stream.once('error', reject);
      });
    });
  });

  console.log('');
  console.log(`import / plain insert      ${(importSeconds / plainSeconds).toFixed(2)}×`);
  console.log(`import / COPY              ${(importSeconds / copySeconds).toFixed(2)}×`);
  console.log(`(validate + import) / plain ${((validateSeconds + importSeconds) / plainSeconds).toFixed(2)}×`);
} finally {
  await rm(work, { recursive: true, force: true });
}
