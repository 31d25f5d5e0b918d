import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousAxeViolations } from '../support/axe';
import { launchBrowser } from '../support/browser';
import { DEMO_RELEASE } from '../support/demo-oracle';
import { getJson, waitFor } from '../support/platform-client';
import { startPlatform, type RunningProcess } from '../support/processes';

mkdirSync('test-output', { recursive: true });

// The real platform on embedded defaults with the synthetic demo release and its two baselines.
let browser: Browser;
let proc: RunningProcess;
let baseUrl: string;

beforeAll(async () => {
  const started = await startPlatform({});
  proc = started.proc;
  baseUrl = started.baseUrl;
  await waitFor('both baselines on the board', async () => (await getJson(baseUrl, `/api/leaderboard/${encodeURIComponent(DEMO_RELEASE)}`)).rows.length >= 2, 180_000);
  browser = await launchBrowser();
}, 400_000);
afterAll(async () => {
  await browser?.close();
  await proc?.stop();
});

async function pageWidth(page: Page) {
  return page.evaluate(() => document.documentElement.scrollWidth);
}

describe('home and About pages in a real browser', () => {
  it('home: what SpineBench is, the top of the current board with the synthetic badge; the nav leads to the boards', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await page.goto(baseUrl);
    const text = await page.textContent('main');
    for (const words of ['Text multiple choice', 'Image multiple choice', 'Report writing', '574 items', 'What a score means']) expect(text).toContain(words);
    expect(await page.textContent('[data-testid=home-top] h2')).toContain('synthetic');
    const top = await page.$$eval('[data-testid=home-top] tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-model')));
    expect(top).toEqual(expect.arrayContaining(['baseline-always-a', 'baseline-random']));
    expect(await page.textContent('[data-testid=home-top] tbody')).toMatch(/\d+\.\d \[\d+\.\d–\d+\.\d\]/);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: 'test-output/home-1366.png', fullPage: true });
    await Promise.all([page.waitForURL(/\/leaderboard$/), page.click('header nav >> text=Leaderboards')]);
    await page.waitForFunction(() => document.title === 'Leaderboards · SpineBench Hub');
    const boards = await page.$$eval('[data-testid=board-list] a', (as) => as.map((a) => a.getAttribute('href')));
    expect(boards).toContain(`/leaderboard/${encodeURIComponent(DEMO_RELEASE)}`);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(baseUrl);
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: 'test-output/home-390.png', fullPage: true });
    await page.close();
  });

  it('About: the paper with its arXiv link, a BibTeX entry and how scores are computed; axe-clean at 390 px', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(baseUrl);
    await Promise.all([page.waitForURL(/\/about$/), page.click('header nav >> text=About')]);
    await page.waitForFunction(() => document.title === 'About SpineBench · SpineBench Hub');
    expect(await page.getAttribute('a[href="https://arxiv.org/abs/2510.03160"]', 'href')).toBeTruthy();
    const bibtex = await page.textContent('[data-testid=bibtex]');
    expect(bibtex).toMatch(/^@misc\{zhao2025spinebench,/);
    expect(bibtex).toContain('eprint        = {2510.03160}');
    expect(bibtex).toContain('author        = {Zhao, Ming and Dong, Wenhui');
    const text = await page.textContent('main');
    for (const words of ['20 × the mean of the section means', 'item-count-weighted mean', '95% interval', 'paired bootstrap']) expect(text).toContain(words);
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: 'test-output/about-390.png', fullPage: true });
    await page.setViewportSize({ width: 1366, height: 900 });
    await page.screenshot({ path: 'test-output/about-1366.png', fullPage: true });
    await page.close();
  });
});

describe('board charts', () => {
  it('draws interval whiskers on the bars and the MCQ chance line (25% on four options) on the overview only', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await page.goto(`${baseUrl}/leaderboard/${encodeURIComponent(DEMO_RELEASE)}`);
    await page.waitForSelector('[data-testid=board-chart] svg.recharts-surface');
    expect(await page.locator('[data-testid=board-chart] .recharts-errorBar').count()).toBeGreaterThan(0);
    await page.waitForSelector('[data-testid=board-chart] .recharts-reference-line', { state: 'attached' });
    // The demo's MCQs have four options, a few five: chance is the mean of 100/k, just under 25%.
    // recharts 3 draws the line's label in a layer of its own.
    const label = (await page.textContent('[data-testid=board-chart] text.recharts-label:has-text("chance")'))!.trim();
    expect(label).toMatch(/^MCQ chance (25% \(4 options\)|≈ 2[0-5]\.\d%)$/);
    const chance = Number(/(\d+(?:\.\d+)?)%/.exec(label)![1]);
    // The line sits at the chance value on the 0–100 axis, between the 0 and 100 ticks.
    const x = await page.$eval('[data-testid=board-chart] .recharts-reference-line line', (l) => Number(l.getAttribute('x1')));
    // The axis runs 0–100: its first and last tick lines mark both ends.
    const ticks = await page.$$eval('[data-testid=board-chart] .recharts-xAxis line.recharts-cartesian-axis-tick-line', (ls) => ls.map((l) => Number(l.getAttribute('x1'))));
    const at = (v: string) => (v === '0' ? Math.min(...ticks) : Math.max(...ticks));
    expect(x).toBeCloseTo(at('0') + ((at('100') - at('0')) * chance) / 100, 0);
    await page.locator('[data-testid=board-chart]').screenshot({ path: 'test-output/board-chart-chance.png' });
    // Other views chart no chance line: their columns are not plain MCQ accuracies.
    await page.goto(`${baseUrl}/leaderboard/${encodeURIComponent(DEMO_RELEASE)}/modality`);
    await page.waitForSelector('[data-testid=board-chart] svg.recharts-surface');
    expect(await page.locator('[data-testid=board-chart] .recharts-reference-line').count()).toBe(0);
    await page.close();
  });
});

describe('compare page in a real browser', () => {
  const release = encodeURIComponent(DEMO_RELEASE);

  it('picks two models from the board, shows them side by side with paired differences, and keeps a shareable URL', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await page.goto(`${baseUrl}/leaderboard/${release}`);
    await Promise.all([page.waitForURL(/\/compare\?release=/), page.click('[data-testid=compare-link]')]);
    await page.waitForSelector('[data-testid=compare-empty]');
    await page.check('[data-testid="pick-baseline-random"]');
    await page.check('[data-testid="pick-baseline-always-a"]');
    await Promise.all([page.waitForURL(/models=\d+&models=\d+/), page.click('[data-testid=compare-submit]')]);
    await page.waitForSelector('[data-testid=compare-table]');
    await page.waitForFunction(() => document.title.startsWith('Compare baseline-'));
    // Every group is there: parts, skills, modality, level identification.
    const rows = await page.$$eval('[data-testid=compare-table] tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-row')));
    expect(rows).toEqual(expect.arrayContaining(['overall', 'text_mcq', 'image_mcq', 'report', 'skill_level_identification', 'skill_surgical_planning', 'modality_mri', 'level_exact']));
    // The overall difference is B − A on the same items: here every item, so it matches the two scores shown.
    const num = (s: string) => Number(s.trim().split(' ')[0].replace('−', '-').replace('+', ''));
    const a = num((await page.textContent('[data-testid=score-overall-0]'))!);
    const b = num((await page.textContent('[data-testid=score-overall-1]'))!);
    const diffCell = page.locator('[data-testid=diff-overall-1]');
    const diffText = (await diffCell.textContent())!;
    expect(diffText).toMatch(/^[+−±]\d+\.\d \[[+−±]\d+\.\d to [+−±]\d+\.\d\] (significant|not significant) n=\d+$/);
    expect(num(diffText)).toBeCloseTo(b - a, 0);
    const [low, high] = /\[(\S+) to (\S+)\]/.exec(diffText)!.slice(1).map(num);
    expect(low).toBeLessThanOrEqual(num(diffText));
    expect(high).toBeGreaterThanOrEqual(num(diffText));
    expect(await diffCell.getAttribute('data-significant')).toBe(low > 0 || high < 0 ? 'yes' : 'no');
    // Only aggregates of the hidden split: no item id anywhere in the page or its hydration data.
    expect(await page.content()).not.toMatch(/synth-test-\d+/);

    // The share link reproduces the page without JavaScript, numbers and all.
    const share = (await page.getAttribute('[data-testid=share-link]', 'href'))!;
    expect(share).toMatch(new RegExp(`^/compare\\?release=${release.replace(/[.]/g, '\\.')}&models=\\d+,\\d+$`));
    const noJs = await browser.newContext({ javaScriptEnabled: false });
    const plain = await noJs.newPage();
    expect((await plain.goto(`${baseUrl}${share}`))!.status()).toBe(200);
    expect(await plain.textContent('[data-testid=diff-overall-1]')).toBe(diffText);
    await noJs.close();

    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: 'test-output/compare-1366.png', fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await page.waitForSelector('[data-testid=compare-table]');
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: 'test-output/compare-390.png', fullPage: true });
    await page.close();
  });

  it('says which model is not on the board and keeps at most four', async () => {
    const page = await browser.newPage();
    const res = await page.goto(`${baseUrl}/compare?release=${release}&models=1,987654`);
    expect(res!.status()).toBe(200);
    expect(await page.textContent('[data-testid=compare-problems]')).toContain('Model #987654 is not on the');
    expect(await page.locator('[data-testid=compare-table]').count()).toBe(0);
    expect(await page.textContent('[data-testid=compare-problems]')).not.toContain('at most');
    await page.goto(`${baseUrl}/compare?release=${release}&models=1,2,3,4,5`);
    expect(await page.textContent('[data-testid=compare-problems]')).toContain('Compare at most 4 models');
    expect((await page.goto(`${baseUrl}/compare?release=nope@1&models=1,2`))!.status()).toBe(404);
    await page.close();
  });
});

describe('board caching', () => {
  it('serves board pages, exports and the JSON API with an ETag keyed by the board epoch, and answers 304 to If-None-Match', async () => {
    const base = `${baseUrl}/leaderboard/${encodeURIComponent(DEMO_RELEASE)}`;
    for (const path of [base, `${base}/levels?sort=exact&dir=asc`, `${base}/export/overview.json`, `${baseUrl}/api/leaderboard/${encodeURIComponent(DEMO_RELEASE)}`]) {
      const first = await fetch(path);
      expect(first.status, path).toBe(200);
      const etag = first.headers.get('etag')!;
      expect(etag, path).toMatch(/^W\/"b\d+-[a-z0-9]+-[\w-]+"$/);
      expect(first.headers.get('cache-control')).toBe('private, no-cache');
      const body = await first.text();
      const again = await fetch(path, { headers: { 'If-None-Match': etag } });
      expect(again.status, path).toBe(304);
      // A fresh CSP nonce on the 304 would replace the cached page's and block its scripts.
      expect(again.headers.get('content-security-policy')).toBeNull();
      // Another URL, or another user, is another ETag; a stale one gets the whole answer again.
      const other = await fetch(path, { headers: { 'If-None-Match': etag.replace(/"b\d+/, '"b0'), cookie: 'x=1' } });
      expect(other.status).toBe(200);
      expect(other.headers.get('etag')).not.toBe(etag);
      // JSON answers are the same bytes (pages differ only in their per-response nonce).
      if (!path.startsWith(base) || path.endsWith('.json')) expect(await other.text()).toBe(body);
    }
  });

  it('serves a cached board page with a fresh CSP nonce on every inline script of every answer, and renders signed-in pages apart', async () => {
    const base = `${baseUrl}/leaderboard/${encodeURIComponent(DEMO_RELEASE)}/levels`;
    const answers = [];
    // The first fills the shared cache (server/web/board-page-cache.ts); the others are served from it.
    for (let i = 0; i < 3; i++) {
      const res = await fetch(base);
      expect(res.status).toBe(200);
      const html = await res.text();
      const nonce = /'nonce-([^']+)'/.exec(res.headers.get('content-security-policy') ?? '')?.[1];
      const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
      expect(scripts.length).toBeGreaterThan(0);
      for (const tag of scripts) if (!/\ssrc=/.test(tag)) expect(tag).toContain(`nonce="${nonce}"`);
      answers.push({ nonce, html });
    }
    expect(new Set(answers.map((a) => a.nonce)).size).toBe(3);
    const same = answers.map((a) => a.html.replaceAll(a.nonce!, 'N'));
    expect(same[1]).toBe(same[0]);
    expect(same[2]).toBe(same[0]);
    // A visitor with a cookie gets a page rendered for them (streamed), with their own nonce on every inline script.
    const withCookie = await fetch(base, { headers: { cookie: 'unrelated=1' } });
    const nonce = /'nonce-([^']+)'/.exec(withCookie.headers.get('content-security-policy') ?? '')?.[1];
    const html = await withCookie.text();
    for (const m of html.matchAll(/<script\b[^>]*>/g)) if (!/\ssrc=/.test(m[0])) expect(m[0]).toContain(`nonce="${nonce}"`);
    for (const a of answers) expect(html).not.toContain(a.nonce);
  });
});
