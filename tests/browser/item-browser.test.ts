import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadReleaseFolder } from '../../benchmark/release';
import { launchBrowser } from '../support/browser';
import { DEMO_RELEASE_DIR } from '../support/demo-release';
import { startPlatform, type RunningProcess } from '../support/processes';

describe('dev item browser in a real browser (embedded defaults)', () => {
  let browser: Browser;
  let platform: RunningProcess;
  let baseUrl: string;
  let slug: string;

  beforeAll(async () => {
    const demo = await loadReleaseFolder(DEMO_RELEASE_DIR);
    slug = `${demo.manifest.name}@${demo.manifest.version}`;
    const started = await startPlatform({ extraEnv: { DEV_ITEMS_PER_PAGE: '6' } });
    platform = started.proc;
    baseUrl = started.baseUrl;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('shows the dev items with their images actually rendered and the answer highlighted', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const failed: string[] = [];
    page.on('response', (res) => {
      if (res.url().includes('/images/') && res.status() !== 200) failed.push(`${res.status()} ${res.url()}`);
    });
    await page.goto(`${baseUrl}/releases/${encodeURIComponent(slug)}`);
    await Promise.all([page.waitForURL(/\/dev$/), page.click('nav.subnav >> text=Dev items')]);
    await page.waitForSelector('[data-testid=dev-item]');

    // Bring every (lazy) image into view and wait until it has decoded.
    const sizes = await page.evaluate(async () => {
      const out: { src: string; width: number; height: number }[] = [];
      for (const img of Array.from(document.images)) {
        img.scrollIntoView();
        await img.decode().catch(() => undefined);
        out.push({ src: img.src, width: img.naturalWidth, height: img.naturalHeight });
      }
      window.scrollTo(0, 0);
      return out;
    });
    expect(sizes.length).toBeGreaterThan(0);
    expect(sizes.filter((s) => s.width === 0 || s.height === 0)).toEqual([]);
    expect(failed).toEqual([]);

    // The right option stands out: its background differs from the other options'.
    const backgrounds = await page.$$eval('.dev-item .options li', (lis) =>
      lis.map((li) => ({ correct: li.classList.contains('correct'), bg: getComputedStyle(li).backgroundColor })),
    );
    const correct = backgrounds.filter((b) => b.correct);
    expect(correct.length).toBeGreaterThan(0);
    for (const b of correct) expect(backgrounds.filter((o) => !o.correct).map((o) => o.bg)).not.toContain(b.bg);
    expect(await page.textContent('[data-testid=synthetic-label]')).toContain('Synthetic data');

    await page.screenshot({ path: 'test-output/item-browser.png', fullPage: true });

    // Paging works from the browser too.
    const firstId = await page.getAttribute('[data-testid=dev-item] >> nth=0', 'data-item-id');
    await page.click('a[rel=next] >> nth=0');
    await page.waitForSelector('[data-testid=page-of] >> text=/^page 2 of \\d+$/');
    expect(page.url()).toMatch(/\/dev\?page=2$/);
    expect(await page.getAttribute('[data-testid=dev-item] >> nth=0', 'data-item-id')).not.toBe(firstId);
  });
});
