/**
 * The maintainer console in real headless Chromium (embedded defaults with the demo baselines): a maintainer imports a
 * broken release and reads its line-numbered errors, then re-scores the demo release and follows the finished job to
 * the public changelog. The pages pass axe and fit 390 px.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { folderEntries, tarGzBuffer } from '../support/archives';
import { seriousAxeViolations } from '../support/axe';
import { launchBrowser } from '../support/browser';
import { DEMO_RELEASE } from '../support/demo-oracle';
import { maintainerEnv, newMaintainerEmail, signInAsMaintainer } from '../support/maintainer-session';
import { getJson, waitFor } from '../support/platform-client';
import { startPlatform, type RunningProcess } from '../support/processes';
import { fixtureItems, writeFixtureRelease } from '../support/release-fixture';

describe('maintainer console in a real browser', () => {
  let browser: Browser;
  let platform: RunningProcess;
  let baseUrl: string;
  let cookie: string;
  let brokenArchive: string;

  beforeAll(async () => {
    const email = newMaintainerEmail();
    const started = await startPlatform({ extraEnv: maintainerEnv(email) });
    platform = started.proc;
    baseUrl = started.baseUrl;
    cookie = await signInAsMaintainer({ baseUrl, proc: platform }, email);
    // Two items whose answer is not among their options: lines 1 and 2 of items.jsonl.
    const work = await mkdtemp(path.join(tmpdir(), 'sbh-console-browser-'));
    const items = fixtureItems();
    for (const item of items.slice(0, 2)) if (item.task === 'mcq') item.answer = 'E';
    await writeFixtureRelease(path.join(work, 'broken'), items);
    brokenArchive = path.join(work, 'broken-release.tar.gz');
    await writeFile(brokenArchive, tarGzBuffer(await folderEntries(path.join(work, 'broken'))));
    browser = await launchBrowser();
    await waitFor('both baselines on the board', async () => (await getJson(baseUrl, `/api/leaderboard/${encodeURIComponent(DEMO_RELEASE)}`)).rows.length === 2, 120_000);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  async function maintainerPage(width: number): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const [name, value] = cookie.split('=');
    await context.addCookies([{ name, value, url: baseUrl }]);
    return context.newPage();
  }
  const fitsWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

  it('importing a broken release shows each problem with its file and line, and imports nothing', async () => {
    const page = await maintainerPage(390);
    await page.goto(`${baseUrl}/maintainer/releases`);
    const before = await page.locator('[data-testid=maintainer-releases] tbody tr').count();
    await page.setInputFiles('input[name=archive]', brokenArchive);
    await page.click('button:text("Validate and import")');
    const problems = page.locator('[data-testid=import-problems] tbody tr');
    await problems.first().waitFor();
    expect(await page.textContent('[data-testid=action-error]')).toContain('2 problems found. Nothing was written.');
    const rows = await problems.evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim())));
    expect(rows).toEqual([
      ['items.jsonl', '1', 'answer', expect.stringContaining('answer "E" is not among the options (A, B, C, D)')],
      ['items.jsonl', '2', 'answer', expect.stringContaining('answer "E" is not among the options (A, B, C, D)')],
    ]);
    expect(await page.locator('[data-testid=maintainer-releases] tbody tr').count()).toBe(before);
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(await fitsWidth(page)).toBe(true);
    await page.screenshot({ path: 'test-output/maintainer-import-errors-390.png', fullPage: true });
  });

  it('a re-score queued from the console shows its progress and leads to the public changelog', async () => {
    const page = await maintainerPage(1280);
    await page.goto(`${baseUrl}/maintainer/releases`);
    const row = page.locator(`tr[data-release="${DEMO_RELEASE}"]`);
    await row.locator('summary:text("Re-score")').click();
    await row.locator('input[name=reason]').fill('browser check');
    await row.locator('button:text("Queue re-score")').click();
    await page.waitForSelector('[data-testid=action-message]:has-text("queued")');
    // The page refreshes itself until the job is finished.
    await page.waitForSelector('[data-testid=rescore-jobs] [data-testid=rescore-status]:text-is("finished")', { timeout: 60_000 });
    expect(await page.textContent('[data-testid=rescore-jobs]')).toMatch(/2\/2 runs/);
    await page.click('[data-testid=rescore-jobs] a:text("what moved")');
    await page.waitForURL(/\/changes#rescore-\d+$/);
    const article = page.locator('[data-testid=rescore]').first();
    expect(await article.textContent()).toContain('Why: browser check');
    // Nothing changed in the scorer since the baselines ran: nothing moved, and the page says so.
    expect(await article.textContent()).toContain('Nothing on the boards moved.');
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it('without a judge, the calibration page and the reports board say there is nothing to calibrate (axe, 390 px)', async () => {
    const page = await maintainerPage(390);
    await page.goto(`${baseUrl}/maintainer/calibration`);
    expect(await page.textContent('[data-testid=calibration-judge]')).toContain('No judge is configured');
    expect(await page.locator('input[type=file][name=ratings]').count()).toBe(0);
    expect(await fitsWidth(page)).toBe(true);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.goto(`${baseUrl}/leaderboard/${encodeURIComponent(DEMO_RELEASE)}/reports`);
    expect(await page.textContent('[data-testid=judge-calibration]')).toContain('no LLM judge is configured');
  });
});
