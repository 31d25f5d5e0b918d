import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { count, eq } from 'drizzle-orm';
import * as tar from 'tar';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Item, StoredItem } from '../../benchmark/item-schema';
import { ReleaseValidationError, loadReleaseFolder } from '../../benchmark/release';
import { hasImage, imagePath } from '../../db/image-store';
import { ITEM_BATCH_SIZE, importRelease, importReleaseFromPath } from '../../db/release-import';
import { exportRelease } from '../../db/release-export';
import {
  ReleaseLifecycleError,
  countReleaseItems,
  deprecateRelease,
  getRelease,
  listDevItems,
  publishRelease,
} from '../../db/queries/releases';
import { items, releases } from '../../db/schema';
import { fixtureItems, rawTar, tinyPng, writeFixtureRelease, writeRawItems } from '../support/release-fixture';
import { openScratchDatabase, type ScratchDatabase } from '../support/scratch-database';

describe.each(['postgres', 'pglite'] as const)('release import on %s', (kind) => {
  let database: ScratchDatabase;
  let work: string;
  let source: string;
  let store: string;

  beforeAll(async () => {
    database = await openScratchDatabase(kind);
  });
  afterAll(async () => {
    await database?.destroy();
  });
  beforeEach(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'sbh-import-'));
    source = path.join(work, 'release');
    store = path.join(work, 'store');
    await writeFixtureRelease(source);
    await database.db.delete(releases);
  });
  afterEach(() => rm(work, { recursive: true, force: true }));

  async function rowCounts() {
    const [r] = await database.db.select({ n: count() }).from(releases);
    const [i] = await database.db.select({ n: count() }).from(items);
    const stored = await readdir(store).catch(() => []);
    return { releases: Number(r.n), items: Number(i.n), storeEntries: stored.length };
  }

  async function editLine(index: number, edit: (item: Record<string, any>) => void) {
    const lines = (await readFile(path.join(source, 'items.jsonl'), 'utf8')).trim().split('\n');
    const item = JSON.parse(lines[index]);
    edit(item);
    lines[index] = JSON.stringify(item);
    await writeRawItems(source, lines);
  }

  it('imports a release in one go: release row, items with image hashes, images in the store', async () => {
    const result = await importReleaseFromPath(database.db, source, { imageStoreDir: store });
    expect(result).toMatchObject({ created: true, name: 'fixture', version: '1.0.0', counts: { dev: 2, test: 2 } });
    const release = await getRelease(database.db, result.releaseId);
    expect(release).toMatchObject({ status: 'draft', contentHash: result.contentHash });
    expect(await countReleaseItems(database.db, result.releaseId)).toEqual({ dev: 2, test: 2 });

    const rows = await database.db.select().from(items).where(eq(items.releaseId, result.releaseId)).orderBy(items.ordinal);
    expect(rows.map((r) => [r.itemKey, r.split, r.task, r.ordinal])).toEqual([
      ['dev-001', 'dev', 'mcq', 0], ['dev-002', 'dev', 'mcq', 1], ['test-001', 'test', 'mcq', 2], ['test-002', 'test', 'report', 3],
    ]);
    const stored = rows[2].payload as StoredItem;
    expect(stored.images).toHaveLength(2);
    expect(stored.images[0]).toMatchObject({ file: 'images/b.png', modality: 'ct', mediaType: 'image/png' });
    expect(await readFile(imagePath(store, stored.images[0].sha256))).toEqual(await readFile(path.join(source, 'images/b.png')));
    expect((rows[1].payload as StoredItem).levels).toEqual(['L4-L5']);
  });

  it('recognises the same content imported twice, also from an archive', async () => {
    const first = await importReleaseFromPath(database.db, source, { imageStoreDir: store });
    const archive = path.join(work, 'release.tar.gz');
    await tar.c({ gzip: true, file: archive, cwd: work }, ['release']);
    const second = await importReleaseFromPath(database.db, archive, { imageStoreDir: store, tempDir: work });
    expect(second).toMatchObject({ releaseId: first.releaseId, created: false });
    expect(await rowCounts()).toMatchObject({ releases: 1, items: 4 });
  });

  const badInputs: [string, () => Promise<void>, RegExp][] = [
    ['bad JSON on a line', async () => {
      const lines = (await readFile(path.join(source, 'items.jsonl'), 'utf8')).trim().split('\n');
      lines[2] = lines[2].slice(0, -3);
      await writeRawItems(source, lines);
    }, /^items\.jsonl, line 3: invalid JSON/],
    ['a missing field', () => editLine(1, (item) => delete item.split), /^items\.jsonl, line 2, field split: missing required field/],
    ['an unknown level label', () => editLine(3, (item) => (item.levels = ['L5-S2'])), /^items\.jsonl, line 4, field levels\.0: unknown level label "L5-S2"/],
    ['an answer not among the options', () => editLine(1, (item) => (item.answer = 'E')), /^items\.jsonl, line 2, field answer: answer "E" is not among the options \(A, B, C, D\)/],
    ['a missing image', () => rm(path.join(source, 'images/a.png')), /^items\.jsonl, line 2, field images\.0\.file: file "images\/a\.png" is missing/],
    ['a duplicate id', () => editLine(2, (item) => (item.id = 'dev-002')), /^items\.jsonl, line 3, field id: duplicate id "dev-002" \(first used on line 2\)/],
    ['an image that is not a valid image', () => writeFile(path.join(source, 'images/b.png'), tinyPng().subarray(0, 40)), /^items\.jsonl, line 3, field images\.0\.file: image "images\/b\.png" is not a valid PNG/],
    ['a path that escapes the release folder', () => editLine(0, (item) => {
      item.inputKind = 'image';
      item.images = [{ file: '../outside.png', modality: 'xray', view: 'ap' }];
    }), /^items\.jsonl, line 1, field images\.0\.file: path "\.\.\/outside\.png" contains "\.\.": it escapes the release folder/],
  ];

  it.each(badInputs)('rejects %s with a precise message and writes nothing', async (_name, breakIt, message) => {
    await writeFile(path.join(work, 'outside.png'), tinyPng());
    await breakIt();
    const error = await importReleaseFromPath(database.db, source, { imageStoreDir: store }).catch((e) => e);
    expect(error).toBeInstanceOf(ReleaseValidationError);
    expect(error.message.split('\n')[1]).toMatch(message);
    expect(await rowCounts()).toEqual({ releases: 0, items: 0, storeEntries: 0 });
  });

  it('rejects an archive entry escaping the folder and writes nothing', async () => {
    const archive = path.join(work, 'bad.tar');
    await writeFile(archive, rawTar([{ name: 'release/manifest.json', data: Buffer.from('{}') }, { name: '../../evil.sh', data: Buffer.from('x') }]));
    const error = await importReleaseFromPath(database.db, archive, { imageStoreDir: store, tempDir: work }).catch((e) => e);
    expect(error).toBeInstanceOf(ReleaseValidationError);
    expect(error.message).toContain('bad.tar:../../evil.sh: entry path leaves the archive folder (..)');
    expect(await rowCounts()).toEqual({ releases: 0, items: 0, storeEntries: 0 });
  });

  it('writes a release in one transaction: a failure in a late batch leaves no release and no items', async () => {
    const loaded = await loadReleaseFolder(source);
    const template = loaded.items[0];
    const many: Item[] = Array.from({ length: 2 * ITEM_BATCH_SIZE + 50 }, (_, i) => ({ ...template, id: `bulk-${i}` }));
    many.push({ ...template, id: 'bulk-10' }); // violates items_release_key in the third batch
    const error = await importRelease(database.db, { ...loaded, items: many }, { imageStoreDir: store }).catch((e) => e);
    expect(error).toBeInstanceOf(Error);
    expect(await rowCounts()).toMatchObject({ releases: 0, items: 0 });
  });

  it('keeps a published release immutable, replaces a draft of the same version', async () => {
    const first = await importReleaseFromPath(database.db, source, { imageStoreDir: store });
    await editLine(0, (item) => (item.question = 'Which disc level herniates most often?'));
    await writeFixtureRelease(source, (await readFile(path.join(source, 'items.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l)));
    const replaced = await importReleaseFromPath(database.db, source, { imageStoreDir: store });
    expect(replaced).toMatchObject({ releaseId: first.releaseId, created: true });
    expect((await listDevItems(database.db, first.releaseId))[0].item.question).toBe('Which disc level herniates most often?');

    await publishRelease(database.db, first.releaseId);
    const publishedHash = (await getRelease(database.db, first.releaseId))!.contentHash;
    await editLine(0, (item) => (item.question = 'Changed after publishing?'));
    await writeFixtureRelease(source, (await readFile(path.join(source, 'items.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l)));
    const error = await importReleaseFromPath(database.db, source, { imageStoreDir: store }).catch((e) => e);
    expect(error).toBeInstanceOf(ReleaseLifecycleError);
    expect(error.message).toMatch(/fixture 1\.0\.0 is published and immutable/);
    expect((await getRelease(database.db, first.releaseId))!.contentHash).toBe(publishedHash);
    expect((await listDevItems(database.db, first.releaseId))[0].item.question).toBe('Which disc level herniates most often?');
  });

  it('moves through draft → published → deprecated, and never back', async () => {
    const { releaseId } = await importReleaseFromPath(database.db, source, { imageStoreDir: store });
    const published = await publishRelease(database.db, releaseId);
    expect(published.status).toBe('published');
    expect(published.publishedAt).toBeInstanceOf(Date);
    expect((await publishRelease(database.db, releaseId)).status).toBe('published');
    expect((await deprecateRelease(database.db, releaseId)).status).toBe('deprecated');
    await expect(publishRelease(database.db, releaseId)).rejects.toThrow(ReleaseLifecycleError);
    await expect(publishRelease(database.db, 999_999)).rejects.toThrow(/No release with id 999999/);
  });

  it('exports the dev split only for the public download, everything for maintainers', async () => {
    const { releaseId } = await importReleaseFromPath(database.db, source, { imageStoreDir: store });
    const publicDir = path.join(work, 'public');
    const publicManifest = await exportRelease(database.db, releaseId, publicDir, { includeHidden: false, imageStoreDir: store });
    expect(publicManifest.splits).toEqual({ dev: { items: 2 }, test: { items: 0 } });
    const publicRelease = await loadReleaseFolder(publicDir);
    expect(publicRelease.items.map((i) => i.id)).toEqual(['dev-001', 'dev-002']);
    const everything = (await readdir(publicDir, { recursive: true })).map(String).sort();
    expect(everything).toEqual(['images', 'images/a.png', 'items.jsonl', 'manifest.json']);
    expect(await readFile(path.join(publicDir, 'items.jsonl'), 'utf8')).not.toContain('test-00');

    const fullDir = path.join(work, 'full');
    await exportRelease(database.db, releaseId, fullDir, { includeHidden: true, imageStoreDir: store });
    const full = await loadReleaseFolder(fullDir);
    expect(full.items).toEqual((await loadReleaseFolder(source)).items);
    expect(await hasImage(store, full.images.get('images/b.png')!.sha256)).toBe(true);
  });

  it('lists dev items only', async () => {
    const { releaseId } = await importReleaseFromPath(database.db, source, { imageStoreDir: store });
    const dev = await listDevItems(database.db, releaseId);
    expect(dev.map((d) => d.item.id)).toEqual(['dev-001', 'dev-002']);
    expect(fixtureItems().filter((i) => i.split === 'test')).toHaveLength(2);
  });
});
