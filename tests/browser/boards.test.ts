import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousAxeViolations } from '../support/axe';
import { startBoardPlatform, JUDGE_MODEL, JUDGE_VERSION, type BoardPlatform } from '../support/board-platform';
import { launchBrowser } from '../support/browser';

mkdirSync('test-output', { recursive: true });

/** Rows of the board table as the page shows them: model name and the text of each data column. */
async function tableRows(page: Page) {
  return page.$$eval('[data-testid=board-table] tbody tr', (trs) =>
    trs.map((tr) => ({
      model: tr.getAttribute('data-model')!,
      cells: Object.fromEntries([...tr.querySelectorAll('td[data-col]')].map((td) => [td.getAttribute('data-col')!, td.textContent!.trim()])),
    })),
  );
}

async function pageWidth(page: Page) {
  return page.evaluate(() => document.documentElement.scrollWidth);
}

/** Elements reaching past the viewport's right edge (outside boxes that scroll on their own): why a page scrolls sideways. */
async function overflowing(page: Page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1 && (!e.parentElement?.closest('.table-scroll') || getComputedStyle(e).position !== 'static'))
      .slice(0, 12)
      .map((e) => `${e.tagName.toLowerCase()}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)
      .concat(`viewport ${document.documentElement.clientWidth}`)
      .concat([...document.querySelectorAll('body, body > *, main > *')].filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => `${e.tagName}.${e.className} sw=${e.scrollWidth} cw=${e.clientWidth}`)),
  );
}

describe('release boards in a real browser (embedded defaults, fake judge)', () => {
  let browser: Browser;
  let platform: BoardPlatform;
  let board: string;

  beforeAll(async () => {
    platform = await startBoardPlatform();
    browser = await launchBrowser();
    board = `${platform.baseUrl}/leaderboard/${encodeURIComponent(platform.release)}`;
  }, 400_000);
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('serves every view server-rendered, without JavaScript, each at its own URL with intervals and ranks', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const expected = {
      overview: ['overall', 'text_mcq', 'image_mcq', 'report', 'level_exact', 'skill_level_identification', 'skill_pathology_assessment', 'skill_surgical_planning'],
      levels: ['exact', 'f1', 'off_by_one', 'worse', 'exact_cervical', 'exact_thoracic', 'exact_lumbar', 'exact_sacral'],
      modality: ['modality_xray', 'modality_ct', 'modality_mri', 'modality_multi', 'modality_text_only'],
      reports: ['report', 'report_check', 'section_imaging_report', 'section_treatment', 'dim_coverage', 'dim_interpretability'],
    };
    for (const [view, cols] of Object.entries(expected)) {
      const res = await page.goto(view === 'overview' ? board : `${board}/${view}`);
      expect(res?.status(), view).toBe(200);
      expect(await page.getAttribute('[data-testid=board-table]', 'data-view')).toBe(view);
      const rows = await tableRows(page);
      expect(rows.map((r) => r.model)).toEqual(expect.arrayContaining(['oracle-vlm-7b', 'baseline-always-a', 'baseline-random']));
      const oracle = rows.find((r) => r.model === 'oracle-vlm-7b')!;
      const scored = /^\d+\.\d+ \[\d+\.\d+–\d+\.\d+\]$/;
      // A region without level questions in the demo may stay empty; every other column has a score and interval.
      for (const c of cols.filter((c) => !c.startsWith('exact_'))) expect(oracle.cells[c], `${view} ${c}`).toMatch(scored);
      if (view === 'levels') expect(cols.filter((c) => c.startsWith('exact_') && scored.test(oracle.cells[c])).length).toBeGreaterThan(0);
      expect(await page.textContent('[data-testid=rank-cell]')).toMatch(/^\d+/);
      expect(await page.title()).toContain('leaderboard');
    }
    // The reports view names the judge and its version.
    await page.goto(`${board}/reports`);
    expect(await page.textContent('[data-testid=judge-note]')).toContain(`${JUDGE_MODEL} (version ${JUDGE_VERSION})`);
    expect(await page.content()).toMatch(/class="badge baseline">baseline</);
    await context.close();
  });

  it('sorts by any column through plain links, both directions', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${board}/modality`);
    await Promise.all([page.waitForURL(/sort=modality_ct/), page.click('[data-testid=sort-modality_ct]')]);
    const score = (s: string) => Number(s.split(' ')[0]);
    const desc = (await tableRows(page)).map((r) => score(r.cells.modality_ct));
    expect(desc).toEqual([...desc].sort((a, b) => b - a));
    await Promise.all([page.waitForURL(/dir=asc/), page.click('[data-testid=sort-modality_ct]')]);
    const asc = (await tableRows(page)).map((r) => score(r.cells.modality_ct));
    expect(asc).toEqual([...asc].sort((a, b) => a - b));
    expect(asc[0]).toBeLessThan(asc[asc.length - 1]);
    await Promise.all([page.waitForURL(/sort=model/), page.click('[data-testid=sort-model]')]);
    const names = (await tableRows(page)).map((r) => r.model);
    expect(names).toEqual([...names].sort());
    await context.close();
  });

  it('filters by region and hides baselines with a GET form, and exports the same numbers as CSV and JSON', async () => {
    const page = await browser.newPage();
    await page.goto(board);
    const all = (await tableRows(page)).find((r) => r.model === 'oracle-vlm-7b')!;
    await page.selectOption('[data-testid=board-filter]', 'region:lumbar');
    await page.check('[data-testid=hide-baselines]');
    await Promise.all([page.waitForURL(/filter=region%3Alumbar.*baselines=hide|baselines=hide.*filter=region%3Alumbar/), page.click('[data-testid=apply-filters]')]);
    // With JavaScript the form navigates client-side: wait for the filtered table, not just the URL.
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=board-table] tbody tr').length === 1);
    const filtered = await tableRows(page);
    expect(filtered.map((r) => r.model)).toEqual(['oracle-vlm-7b']);
    expect(filtered[0].cells.overall).not.toBe(all.cells.overall);
    expect(Number(filtered[0].cells.overall.split(' ')[0])).toBeGreaterThan(0);

    const csvHref = await page.getAttribute('[data-testid=export-csv]', 'href');
    const jsonHref = await page.getAttribute('[data-testid=export-json]', 'href');
    expect(csvHref).toContain('filter=region');
    const json = await (await fetch(new URL(jsonHref!, platform.baseUrl))).json();
    expect(json.rows.map((r: { model: string }) => r.model)).toEqual(['oracle-vlm-7b']);
    const o = json.rows[0].scores.overall;
    expect(`${o.score.toFixed(1)} [${o.low.toFixed(1)}–${o.high.toFixed(1)}]`).toBe(filtered[0].cells.overall);
    const csv = await (await fetch(new URL(csvHref!, platform.baseUrl))).text();
    const [header, line] = csv.trim().split('\r\n');
    const record = Object.fromEntries(header.split(',').map((h, i) => [h, line.split(',')[i]]));
    expect(record.model).toBe('oracle-vlm-7b');
    expect(Number(record.overall)).toBe(o.score);
    expect(Number(record.overall_low)).toBe(o.low);
    await page.close();
  });

  it('draws the chart after hydration, passes axe, and does not scroll sideways at 390 px', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await page.goto(board);
    await page.waitForSelector('[data-testid=board-chart] svg.recharts-surface');
    expect(await page.locator('[data-testid=board-chart] .recharts-errorBar').count()).toBeGreaterThan(0);
    await page.screenshot({ path: 'test-output/board-1366.png', fullPage: true });
    const violations = await seriousAxeViolations(page);
    expect(violations, JSON.stringify(violations, null, 1)).toEqual([]);
    for (const view of ['', '/levels', '/reports']) {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`${board}${view}`);
      await page.waitForSelector('[data-testid=board-chart] svg.recharts-surface');
      expect(await pageWidth(page), `board${view} at 390 px: ${await overflowing(page)}`).toBeLessThanOrEqual(390);
    }
    await page.goto(board);
    await page.waitForSelector('[data-testid=board-chart] svg.recharts-surface');
    await page.screenshot({ path: 'test-output/board-390.png', fullPage: true });
    await page.close();
  });
});
