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

// One platform (demo baselines, a fake judge, one submitted model with a hidden and a dev run) for every page test.
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

describe('release boards in a real browser (embedded defaults, fake judge)', () => {

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

  it('shows the judge–clinician agreement beside the judge on the reports view: labelled synthetic, axe-clean at 390 px', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    // The demo's synthetic set is calibrated in the background after start (docs/judge-calibration.md).
    for (let tries = 0; ; tries++) {
      await page.goto(`${board}/reports`);
      if ((await page.locator('[data-testid=calibration-synthetic]').count()) > 0) break;
      if (tries > 60) throw new Error('the demo calibration never reached the reports board');
      await page.waitForTimeout(1_000);
    }
    expect(await page.textContent('[data-testid=judge-calibration]')).toContain(`Agreement of ${JUDGE_MODEL} with clinicians`);
    expect(await page.textContent('[data-testid=judge-calibration]')).toContain('SYNTHETIC');
    expect(await page.locator('[data-testid=calibration-table] tbody tr').count()).toBe(10);
    expect(await pageWidth(page), `reports at 390 px: ${await overflowing(page)}`).toBeLessThanOrEqual(390);
    const violations = await seriousAxeViolations(page);
    expect(violations, JSON.stringify(violations, null, 1)).toEqual([]);
    await page.screenshot({ path: 'test-output/board-reports-calibration-390.png', fullPage: true });
    await page.close();
  });
});

describe('model and run pages in a real browser', () => {

  it('opens a model from the board: identity, tables, radar and bars after hydration, the spine picture, history; passes axe', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await page.goto(`${platform.baseUrl}/leaderboard/${encodeURIComponent(platform.release)}`);
    await Promise.all([page.waitForURL(/\/models\/\d+$/), page.click('[data-model="oracle-vlm-7b"] a[href^="/models/"]')]);
    await page.waitForSelector('[data-testid=model-identity]');
    await page.waitForFunction(() => document.title.includes('oracle-vlm-7b by Spine Lab'));
    expect(await page.textContent('[data-testid=model-identity]')).toContain('OpenAI-compatible endpoint');
    expect(await page.textContent('[data-testid=skill-table]')).toMatch(/Surgical planning\s*\d+\.\d \[\d+\.\d–\d+\.\d\]/);
    await page.waitForSelector('[data-testid=skill-radar] svg.recharts-surface');
    await page.waitForSelector('[data-testid=modality-chart] svg.recharts-surface');
    await page.waitForSelector('[data-testid=report-chart] svg.recharts-surface');
    // The spine picture: every vertebra from C1 to the sacrum, coloured where asked, with counts.
    const levels = await page.$$eval('[data-testid=spine-picture] g[data-level]', (gs) => gs.map((g) => ({ level: g.getAttribute('data-level')!, n: Number(g.getAttribute('data-n')) })));
    expect(levels[0].level).toBe('C1');
    expect(levels[levels.length - 1].level).toBe('S1');
    expect(levels.map((l) => l.level)).toContain('L4-L5');
    expect(levels.filter((l) => l.n > 0).length).toBeGreaterThan(2);
    expect(await page.textContent('[data-testid=confusions-off-by-one] h4')).toContain('Off by one');
    expect(await page.textContent('[data-testid=report-method]')).toContain('fake-judge');
    const history = await page.$$eval('[data-testid=model-history] tbody tr', (trs) => trs.map((tr) => tr.textContent));
    expect(history.length).toBe(2);
    expect(history.join(' ')).toContain('hidden test');
    expect(history.join(' ')).toContain('dev');
    await page.screenshot({ path: 'test-output/model-1366.png', fullPage: true });
    await page.locator('[data-testid=spine-picture]').screenshot({ path: 'test-output/spine-picture.png' });
    const violations = await seriousAxeViolations(page);
    expect(violations, JSON.stringify(violations, null, 1)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await page.waitForSelector('[data-testid=skill-radar] svg.recharts-surface');
    expect(await pageWidth(page), `model page at 390 px: ${await overflowing(page)}`).toBeLessThanOrEqual(390);
    await page.screenshot({ path: 'test-output/model-390.png', fullPage: true });
    await page.close();
  });

  it('shows a hidden-split run as aggregates only, and a dev run with letters read and report checks', async () => {
    const page = await browser.newPage();
    await page.goto(`${platform.baseUrl}/runs/${platform.oracleRunId}`);
    await page.waitForSelector('[data-testid=level-table]');
    expect(await page.locator('[data-testid=dev-item-log]').count()).toBe(0);
    expect(await page.textContent('body')).toContain('aggregates only');
    await page.goto(`${platform.baseUrl}/runs/${platform.devRunId}`);
    const readAs = await page.$$eval('[data-testid=read-as]', (tds) => tds.map((td) => td.textContent!.trim()));
    expect(readAs.length).toBeGreaterThan(0);
    // The oracle names a letter for every MCQ: none may read as "no answer".
    expect(readAs.filter((t) => /^[A-E]/.test(t)).length).toBe(readAs.length);
    const checks = await page.$$eval('[data-testid=report-check-cell]', (tds) => tds.map((td) => td.textContent!.trim()));
    expect(checks.length).toBeGreaterThan(0);
    expect(checks.every((c) => /^check \d+\.\d: \d+\/\d+ key findings covered/.test(c) || c === 'no report')).toBe(true);
    await page.screenshot({ path: 'test-output/run-dev.png', fullPage: true });
    await page.close();
  });
});
