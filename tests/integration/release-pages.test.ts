import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tar from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadReleaseFolder, type LoadedRelease } from '../../benchmark/release';
import { hasImage } from '../../db/image-store';
import { folderEntries, zipBuffer } from '../support/archives';
import { DEMO_RELEASE_DIR } from '../support/demo-release';
import { getText } from '../support/platform-client';
import { uniqueEmail, verifiedAccount, type Account } from '../support/accounts';
import { startPlatform, type RunningProcess } from '../support/processes';
import { fixtureItems, tinyPng, writeFixtureRelease } from '../support/release-fixture';
import { createTestDatabase, realServicesAvailable } from '../support/services';
import { sha256Hex } from '../../benchmark/release/content-hash';

const MAINTAINER_EMAIL = uniqueEmail('maintainer');
const PER_PAGE = 7;

/** The page's text as a reader sees it: tags dropped, entities decoded, spaces collapsed. */
function visibleText(html: string): string {
  return decodeHtml(html.replace(/<script[\s\S]*?<\/script>/g, ' ').replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ');
}

function decodeHtml(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

const slugPath = (slug: string) => encodeURIComponent(slug);

/** Every page of the dev item browser: the item ids shown, the image URLs and the text of all pages. */
async function browseDevItems(baseUrl: string, slug: string) {
  const ids: string[] = [];
  const imageSrcs = new Set<string>();
  let text = '';
  let html = '';
  for (let page = 1; page < 100; page++) {
    const res = await getText(baseUrl, `/releases/${slugPath(slug)}/dev?page=${page}`);
    expect(res.status).toBe(200);
    html += res.text;
    text += visibleText(res.text);
    ids.push(...[...res.text.matchAll(/data-item-id="([^"]+)"/g)].map((m) => m[1]));
    for (const m of res.text.matchAll(/<img[^>]+src="([^"]+)"/g)) imageSrcs.add(m[1]);
    const of = /page (\d+) of (\d+)/.exec(visibleText(res.text));
    if (!of || Number(of[1]) >= Number(of[2])) break;
  }
  return { ids, imageSrcs, text, html };
}

/** Test-split images that no dev item uses: the ones that must never be served. */
function hiddenOnlyImageHashes(release: LoadedRelease): string[] {
  const devFiles = new Set(release.items.filter((i) => i.split === 'dev').flatMap((i) => i.images.map((im) => im.file)));
  const hidden = release.items.filter((i) => i.split === 'test').flatMap((i) => i.images.map((im) => im.file)).filter((f) => !devFiles.has(f));
  return [...new Set(hidden)].map((f) => release.images.get(f)!.sha256);
}

function devImageHashes(release: LoadedRelease): string[] {
  const files = new Set(release.items.filter((i) => i.split === 'dev').flatMap((i) => i.images.map((im) => im.file)));
  return [...files].map((f) => release.images.get(f)!.sha256);
}

async function unpackTarGz(bytes: Buffer): Promise<{ dir: string; root: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'sbh-download-'));
  const archive = path.join(dir, 'download.tar.gz');
  await writeFile(archive, bytes);
  const out = path.join(dir, 'out');
  await mkdir(out);
  await tar.x({ file: archive, cwd: out, strict: true });
  const [top] = await readdir(out);
  return { dir, root: path.join(out, top) };
}

async function download(baseUrl: string, urlPath: string, cookie?: string) {
  const res = await fetch(new URL(urlPath, baseUrl), { headers: cookie ? { cookie } : {} });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

/** The ADMIN_EMAILS account, signed up and verified once per platform: its session cookie. */
const maintainers = new Map<string, Promise<Account>>();
async function signIn(platform: { baseUrl: string; proc: RunningProcess }): Promise<string> {
  if (!maintainers.has(platform.baseUrl)) maintainers.set(platform.baseUrl, verifiedAccount(platform, MAINTAINER_EMAIL));
  return (await maintainers.get(platform.baseUrl)!).cookie;
}

async function uploadArchive(baseUrl: string, fileName: string, bytes: Buffer, cookie?: string) {
  const form = new FormData();
  form.append('archive', new Blob([new Uint8Array(bytes)]), fileName);
  const res = await fetch(new URL('/maintainer/releases', baseUrl), { method: 'POST', body: form, headers: cookie ? { cookie } : {}, redirect: 'manual' });
  return { status: res.status, text: await res.text() };
}

async function lifecycle(baseUrl: string, cookie: string, releaseId: number, intent: 'publish' | 'deprecate') {
  const res = await fetch(new URL('/maintainer/releases', baseUrl), {
    method: 'POST',
    body: new URLSearchParams({ intent, releaseId: String(releaseId) }),
    headers: { cookie },
    redirect: 'manual',
  });
  return { status: res.status, text: visibleText(await res.text()) };
}

/** The maintainer list: slug → { id, status }. */
async function maintainerReleases(baseUrl: string, cookie: string) {
  const res = await fetch(new URL('/maintainer/releases', baseUrl), { headers: { cookie }, redirect: 'manual' });
  expect(res.status).toBe(200);
  const html = await res.text();
  const rows = new Map<string, { id: number; status: string }>();
  for (const m of html.matchAll(/<tr data-release="([^"]+)" data-release-id="(\d+)">[\s\S]*?data-testid="status">(\w+)</g)) {
    rows.set(decodeHtml(m[1]), { id: Number(m[2]), status: m[3] });
  }
  return rows;
}

async function tarGzOfFolder(dir: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of tar.c({ gzip: true, cwd: dir, portable: true }, ['.'])) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

describe('release pages on the embedded defaults', () => {
  let platform: RunningProcess;
  let baseUrl: string;
  let imageStoreDir: string;
  let demo: LoadedRelease;
  let slug: string;
  let work: string;

  beforeAll(async () => {
    demo = await loadReleaseFolder(DEMO_RELEASE_DIR);
    slug = `${demo.manifest.name}@${demo.manifest.version}`;
    work = await mkdtemp(path.join(tmpdir(), 'sbh-release-pages-'));
    const started = await startPlatform({ extraEnv: { ADMIN_EMAILS: MAINTAINER_EMAIL, DEV_ITEMS_PER_PAGE: String(PER_PAGE) } });
    platform = started.proc;
    baseUrl = started.baseUrl;
    imageStoreDir = path.join(started.dataDir, 'images');
  });
  afterAll(async () => {
    await platform?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('release page shows the manifest, the synthetic label and links to the board, the items and the download', async () => {
    const res = await getText(baseUrl, `/releases/${slugPath(slug)}`);
    expect(res.status).toBe(200);
    const text = visibleText(res.text);
    expect(text).toContain(demo.manifest.licence);
    expect(text).toContain(demo.manifest.contentHash);
    expect(text).toContain(`${demo.manifest.splits.dev.items} items`);
    expect(text).toContain(`${demo.manifest.splits.test.items} items`);
    expect(res.text).toContain('data-testid="synthetic-label"');
    for (const href of [`/leaderboard/${slugPath(slug)}`, `/releases/${slugPath(slug)}/dev`, `/releases/${slugPath(slug)}/download`]) {
      expect(res.text).toContain(`href="${href}"`);
    }
    const home = await getText(baseUrl, '/');
    expect(home.text).toContain(`href="/releases/${slugPath(slug)}"`);
    expect((await getText(baseUrl, '/releases/no-such@1.0')).status).toBe(404);
  });

  it('item browser pages through every dev item, with answers and images, and never a test item', async () => {
    const devItems = demo.items.filter((i) => i.split === 'dev');
    const testItems = demo.items.filter((i) => i.split === 'test');
    const { ids, imageSrcs, text, html } = await browseDevItems(baseUrl, slug);
    expect(ids).toEqual(devItems.map((i) => i.id));
    expect(new Set(imageSrcs)).toEqual(new Set(devImageHashes(demo).map((h) => `/images/${h}`)));
    for (const item of devItems) expect(text).toContain(item.question);
    // The answer of every MCQ is the highlighted option.
    const highlighted = [...html.matchAll(/<li class="correct" data-correct="true"><b>([A-E])</g)].map((m) => m[1]);
    expect(highlighted).toEqual(devItems.flatMap((i) => (i.task === 'mcq' ? [i.answer] : [])));
    const report = devItems.find((i) => i.task === 'report');
    expect(report && report.task === 'report').toBe(true);
    if (report?.task === 'report') {
      expect(text).toContain(report.caseHistory);
      expect(text).toContain(report.referenceReport.diagnosticBasis);
    }
    expect(text).toContain('Synthetic item');
    const devQuestions = new Set(devItems.map((i) => i.question));
    for (const item of testItems) {
      expect(html).not.toContain(item.id);
      if (!devQuestions.has(item.question)) expect(text).not.toContain(item.question);
    }
    for (const hash of hiddenOnlyImageHashes(demo)) expect(html).not.toContain(hash);
  });

  it('image route serves a dev image (immutable) and 404s a hidden test image exactly like an unknown hash', async () => {
    const devHash = devImageHashes(demo)[0];
    const dev = await download(baseUrl, `/images/${devHash}`);
    expect(dev.status).toBe(200);
    expect(dev.headers.get('content-type')).toBe('image/png');
    expect(dev.headers.get('cache-control')).toContain('immutable');
    expect(sha256Hex(dev.bytes)).toBe(devHash);

    const unknown = await getText(baseUrl, `/images/${'f'.repeat(64)}`);
    const malformed = await getText(baseUrl, '/images/..%2F..%2Fetc%2Fpasswd');
    expect(unknown.status).toBe(404);
    expect(malformed).toEqual(unknown);
    const hidden = hiddenOnlyImageHashes(demo);
    expect(hidden.length).toBeGreaterThan(0);
    for (const hash of hidden) {
      expect(await hasImage(imageStoreDir, hash)).toBe(true); // it is on the server, and still refused
      expect(await getText(baseUrl, `/images/${hash}`)).toEqual(unknown);
    }
  });

  it('public download is the dev split in the release format, and only the dev split', async () => {
    const res = await download(baseUrl, `/releases/${slugPath(slug)}/download`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('-dev.tar.gz');
    const { dir, root } = await unpackTarGz(res.bytes);
    try {
      const exported = await loadReleaseFolder(root); // validates manifest, counts, content hash, images
      expect(exported.items.map((i) => i.id)).toEqual(demo.items.filter((i) => i.split === 'dev').map((i) => i.id));
      expect(exported.manifest.splits.test.items).toBe(0);
      const exportedHashes = [...exported.images.values()].map((i) => i.sha256);
      for (const hash of hiddenOnlyImageHashes(demo)) expect(exportedHashes).not.toContain(hash);
      const files = await folderEntries(root);
      expect(files.length).toBe(2 + exported.images.size); // manifest, items and the dev images: nothing else
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const again = await download(baseUrl, `/releases/${slugPath(slug)}/download`);
    expect(sha256Hex(again.bytes)).toBe(sha256Hex(res.bytes));
  });

  it('maintainer pages refuse without a maintainer account', async () => {
    const page = await fetch(new URL('/maintainer/releases', baseUrl), { redirect: 'manual' });
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe('/signin?next=%2Fmaintainer%2Freleases');
    const oldLogin = await fetch(new URL('/maintainer/login?next=/maintainer/releases', baseUrl), { redirect: 'manual' });
    expect(oldLogin.headers.get('location')).toBe('/signin?next=%2Fmaintainer%2Freleases');
    const forged = 'sbh_session=not-a-session-anyone-has';
    expect((await fetch(new URL('/maintainer/releases', baseUrl), { headers: { cookie: forged }, redirect: 'manual' })).status).toBe(302);
    const member = (await verifiedAccount({ baseUrl, proc: platform })).cookie;
    const asMember = await fetch(new URL('/maintainer/releases', baseUrl), { headers: { cookie: member }, redirect: 'manual' });
    expect(asMember.status).toBe(403);
    expect(visibleText(await asMember.text())).toContain('This account is not a platform maintainer.');
    expect((await lifecycle(baseUrl, member, 1, 'deprecate')).status).toBe(403);
    expect((await download(baseUrl, `/maintainer/releases/${slugPath(slug)}/export`, member)).status).toBe(403);

    const dir = path.join(work, 'refused');
    await writeFixtureRelease(dir);
    const upload = await uploadArchive(baseUrl, 'fixture.tar.gz', await tarGzOfFolder(dir));
    expect(upload.status).toBe(403);
    expect((await lifecycle(baseUrl, forged, 1, 'deprecate')).status).toBe(403);
    expect((await download(baseUrl, `/maintainer/releases/${slugPath(slug)}/export`)).status).toBe(403);
    const cookie = await signIn({ baseUrl, proc: platform });
    const rows = await maintainerReleases(baseUrl, cookie);
    expect([...rows.keys()]).toEqual([slug]);
    expect(rows.get(slug)!.status).toBe('published');
  });

  it('a broken archive is refused with file, line and field, and creates nothing', async () => {
    const cookie = await signIn({ baseUrl, proc: platform });
    const dir = path.join(work, 'broken');
    const items = fixtureItems();
    const first = items[0];
    if (first.task === 'mcq') first.answer = 'E'; // options are A–D
    await writeFixtureRelease(dir, items);
    const storeBefore = await folderEntries(imageStoreDir);
    const res = await uploadArchive(baseUrl, 'broken-release.tar.gz', await tarGzOfFolder(dir), cookie);
    expect(res.status).toBe(422);
    const text = visibleText(res.text);
    expect(text).toContain('Nothing was written');
    expect(text).toMatch(/items\.jsonl 1 answer answer "E" is not among the options \(A, B, C, D\)/);
    expect([...(await maintainerReleases(baseUrl, cookie)).keys()]).toEqual([slug]);
    expect((await folderEntries(imageStoreDir)).length).toBe(storeBefore.length);
    expect((await getText(baseUrl, '/releases/fixture@1.0.0')).status).toBe(404);

    const notArchive = await uploadArchive(baseUrl, 'release.rar', Buffer.from('not an archive'), cookie);
    expect(notArchive.status).toBe(400);
    expect(visibleText(notArchive.text)).toContain('release.rar is not a .tar, .tar.gz, .tgz or .zip archive.');
    // Uploads and scratch folders are gone (only the cache of public downloads may stay).
    const workDir = path.join(path.dirname(imageStoreDir), 'release-work');
    expect((await readdir(workDir).catch(() => [])).filter((f) => f !== 'downloads')).toEqual([]);
  });

  it('a good archive imports as a draft, then publish and deprecate work, and lifecycle errors are shown', async () => {
    const cookie = await signIn({ baseUrl, proc: platform });
    const dir = path.join(work, 'good');
    await writeFixtureRelease(dir);
    const zip = await zipBuffer((await folderEntries(dir)).map((e) => ({ path: `fixture/${e.path}`, data: e.data })));
    const imported = await uploadArchive(baseUrl, 'fixture-1.0.0.zip', zip, cookie);
    expect(imported.status).toBe(200);
    expect(visibleText(imported.text)).toContain('Imported fixture 1.0.0 from fixture-1.0.0.zip as a draft: 2 dev + 2 test items');
    const fixture = (await maintainerReleases(baseUrl, cookie)).get('fixture@1.0.0')!;
    expect(fixture.status).toBe('draft');

    // A draft is not public: no page, no download, no images.
    const devImage = sha256Hex(tinyPng(16, 80)); // images/a.png: dev-002 (and a test item)
    const testOnlyImage = sha256Hex(tinyPng(20, 120)); // images/b.png: test items only
    expect((await getText(baseUrl, '/releases/fixture@1.0.0')).status).toBe(404);
    expect((await getText(baseUrl, '/releases/fixture@1.0.0/dev')).status).toBe(404);
    expect((await getText(baseUrl, '/releases/fixture@1.0.0/download')).status).toBe(404);
    expect((await getText(baseUrl, `/images/${devImage}`)).status).toBe(404);

    const again = await uploadArchive(baseUrl, 'fixture-1.0.0.zip', zip, cookie);
    expect(visibleText(again.text)).toContain('already on the platform; nothing was written');

    const published = await lifecycle(baseUrl, cookie, fixture.id, 'publish');
    expect(published.status).toBe(200);
    expect(published.text).toContain('fixture 1.0.0 is now published.');
    expect((await getText(baseUrl, '/releases/fixture@1.0.0')).status).toBe(200);
    const browsed = await browseDevItems(baseUrl, 'fixture@1.0.0');
    expect(browsed.ids).toEqual(['dev-001', 'dev-002']);
    expect(browsed.text).not.toContain('Which vertebra is fractured?');
    expect((await getText(baseUrl, `/images/${devImage}`)).status).toBe(200);
    expect((await getText(baseUrl, `/images/${testOnlyImage}`)).status).toBe(404);

    // Full export (maintainers): every item, hidden split included.
    const full = await download(baseUrl, '/maintainer/releases/fixture%401.0.0/export', cookie);
    expect(full.status).toBe(200);
    expect(full.headers.get('cache-control')).toContain('no-store');
    const unpacked = await unpackTarGz(full.bytes);
    try {
      const exported = await loadReleaseFolder(unpacked.root);
      expect(exported.items.map((i) => i.id)).toEqual(['dev-001', 'dev-002', 'test-001', 'test-002']);
    } finally {
      await rm(unpacked.dir, { recursive: true, force: true });
    }

    const deprecated = await lifecycle(baseUrl, cookie, fixture.id, 'deprecate');
    expect(deprecated.text).toContain('fixture 1.0.0 is now deprecated.');
    expect((await maintainerReleases(baseUrl, cookie)).get('fixture@1.0.0')!.status).toBe('deprecated');
    const page = await getText(baseUrl, '/releases/fixture@1.0.0');
    expect(visibleText(page.text)).toContain('This release is deprecated');

    const republish = await lifecycle(baseUrl, cookie, fixture.id, 'publish');
    expect(republish.status).toBe(409);
    expect(republish.text).toContain('Release fixture 1.0.0 is deprecated and cannot be published again');
  });
});

const servicesUp = await realServicesAvailable();

describe('release pages on real Postgres', () => {
  let platform: RunningProcess | undefined;
  let baseUrl = '';
  let dropDb: (() => Promise<void>) | undefined;
  let demo: LoadedRelease;

  beforeAll(async () => {
    if (!servicesUp) return;
    demo = await loadReleaseFolder(DEMO_RELEASE_DIR);
    const database = await createTestDatabase();
    dropDb = database.drop;
    const started = await startPlatform({ databaseUrl: database.url });
    platform = started.proc;
    baseUrl = started.baseUrl;
  });
  afterAll(async () => {
    await platform?.stop();
    await dropDb?.();
  });

  it.runIf(servicesUp)('shows every dev item and no test item; serves dev images only', async () => {
    const slug = `${demo.manifest.name}@${demo.manifest.version}`;
    const { ids, html } = await browseDevItems(baseUrl, slug);
    expect(ids).toEqual(demo.items.filter((i) => i.split === 'dev').map((i) => i.id));
    for (const item of demo.items.filter((i) => i.split === 'test')) expect(html).not.toContain(item.id);
    expect((await getText(baseUrl, `/images/${devImageHashes(demo)[0]}`)).status).toBe(200);
    const unknown = await getText(baseUrl, `/images/${'0'.repeat(64)}`);
    for (const hash of hiddenOnlyImageHashes(demo)) expect(await getText(baseUrl, `/images/${hash}`)).toEqual(unknown);
  });
});
