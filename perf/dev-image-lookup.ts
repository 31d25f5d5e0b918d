/**
 * npx tsx perf/dev-image-lookup.ts [--items 100000] [--lookups 300]
 *
 * The image route asks, for every image it serves, whether a dev-split item of a non-draft release uses
 * the hash (findPublicDevImage). On real Postgres (DATABASE_URL, or postgres://postgres@127.0.0.1:5432/test;
 * a fresh database, dropped afterwards) this builds one published release with 60 dev items (one image
 * each, realistic payloads) and times lookups of dev hashes (found) and hidden hashes (refused), first with
 * 1,000 hidden items, then with `--items` hidden items. It prints the lookup time against a primary-key
 * fetch of one item and the ratio large/small release: about 1 when the hidden split is not scanned.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { openDatabase } from '../db/client';
import { findPublicDevImage } from '../db/queries/release-images';
import { eq } from 'drizzle-orm';
import { items, releases } from '../db/schema';
import { fixtureManifest } from '../tests/support/stored-rows';
import type { StoredItem } from '../benchmark/item-schema';

const { values } = parseArgs({ options: { items: { type: 'string', default: '100000' }, lookups: { type: 'string', default: '300' } } });
const hiddenCount = Number(values.items);
const lookups = Number(values.lookups);
const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const hex = () => randomBytes(32).toString('hex');

function payload(id: string, split: 'dev' | 'test', sha256: string): StoredItem {
  return {
    id, split, task: 'mcq', inputKind: 'image', language: 'en', skill: 'level_identification', region: 'lumbar', pathology: 'spondylolisthesis',
    question: 'This synthetic lateral radiograph is shown. At which level is the anterolisthesis? '.repeat(2), levels: ['L4-L5'],
    options: { A: 'L3-L4', B: 'L4-L5', C: 'L5-S1', D: 'L2-L3' }, answer: 'B',
    images: [{ file: `images/${id}.png`, modality: 'xray', view: 'lateral', sha256, mediaType: 'image/png' }],
    provenance: { source: 'perf', synthetic: true },
  };
}

const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
const name = `sbh_perf_${randomBytes(5).toString('hex')}`;
await admin.unsafe(`CREATE DATABASE ${name}`);
const url = new URL(adminUrl);
url.pathname = `/${name}`;
const handle = await openDatabase({ databaseUrl: url.toString(), dataDir: '' });
const raw = postgres(url.toString(), { max: 1, onnotice: () => {} });
try {
  const db = handle.db;
  const [release] = await db
    .insert(releases)
    .values({ name: 'perf', version: '1', status: 'published', contentHash: `sha256:${hex()}`, manifest: fixtureManifest('perf') })
    .returning({ id: releases.id });
  const devHashes = Array.from({ length: 60 }, hex);
  const hiddenHashes: string[] = [];
  const devRows = devHashes.map((h, i) => ({ releaseId: release.id, itemKey: `dev-${i}`, split: 'dev' as const, task: 'mcq' as const, ordinal: i, payload: payload(`dev-${i}`, 'dev', h) }));
  await db.insert(items).values(devRows);

  async function addHidden(upTo: number) {
    const rows = [];
    for (let i = hiddenHashes.length; i < upTo; i++) {
      const h = hex();
      hiddenHashes.push(h);
      rows.push({ releaseId: release.id, itemKey: `test-${i}`, split: 'test' as const, task: 'mcq' as const, ordinal: 60 + i, payload: payload(`test-${i}`, 'test', h) });
    }
    for (let start = 0; start < rows.length; start += 2000) await db.insert(items).values(rows.slice(start, start + 2000));
    await raw.unsafe('ANALYZE items');
  }

  async function measure(label: string, lookup: (i: number) => Promise<void>): Promise<number> {
    for (let i = 0; i < 20; i++) await lookup(i); // warm-up
    const t0 = performance.now();
    for (let i = 0; i < lookups; i++) await lookup(i);
    const perLookup = (performance.now() - t0) / lookups;
    console.log(`${label.padEnd(34)} ${perLookup.toFixed(3)} ms per lookup`);
    return perLookup;
  }
  const devLookup = async (i: number) => {
    if (!(await findPublicDevImage(db, devHashes[i % devHashes.length]))) throw new Error('dev image refused');
  };
  const hiddenLookup = async (i: number) => {
    if (await findPublicDevImage(db, hiddenHashes[(i * 7919) % hiddenHashes.length])) throw new Error('hidden image served');
  };
  const byId = async (i: number) => {
    await db.select({ payload: items.payload }).from(items).where(eq(items.id, 1 + (i % 60))).limit(1);
  };

  await addHidden(1000);
  const small = (await measure('dev image, 1000 hidden', devLookup)) + (await measure('hidden image, 1000 hidden', hiddenLookup));
  await addHidden(hiddenCount);
  const large = (await measure(`dev image, ${hiddenCount} hidden`, devLookup)) + (await measure(`hidden image, ${hiddenCount} hidden`, hiddenLookup));
  const pk = await measure('primary-key fetch of one item', byId);
  console.log(`ratio lookup/primary-key fetch: ${(large / 2 / pk).toFixed(1)}x`);
  console.log(`ratio ${hiddenCount}/1000 hidden items: ${(large / small).toFixed(2)}x`);
} finally {
  await raw.end({ timeout: 5 });
  await handle.close();
  await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end({ timeout: 5 });
}
