import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_RELEASE, demoTestItems, oracleAnswer } from '../support/demo-oracle';
import { launchBrowser } from '../support/browser';
import { startFakeEndpoint, type FakeEndpoint } from '../support/fake-chat-endpoint';
import { startPlatform, type RunningProcess } from '../support/processes';
import { teamMember } from '../support/accounts';

describe('run page in a real browser (embedded defaults)', () => {
  let browser: Browser;
  let platform: RunningProcess;
  let baseUrl: string;
  let endpoint: FakeEndpoint;

  beforeAll(async () => {
    endpoint = await startFakeEndpoint((_m, text) => ({ content: oracleAnswer(text), delayMs: 150 }));
    const started = await startPlatform({ extraEnv: { SHARD_SIZE: '6', ITEM_CONCURRENCY: '1' } });
    platform = started.proc;
    baseUrl = started.baseUrl;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
    await endpoint?.close();
  });

  it('submits through the form and watches the live progress bar fill without reloading', async () => {
    const member = await teamMember({ baseUrl, proc: platform! }, 'Browser Team');
    const page = await browser.newPage();
    await page.context().addCookies([{ name: 'sbh_session', value: member.cookie.split('=')[1], url: baseUrl }]);
    await page.goto(`${baseUrl}/submit`);
    await page.fill('input[name=modelName]', 'browser-model');
    await page.fill('input[name=parametersB]', '7');
    await page.selectOption('select[name=weights]', 'open');
    await page.fill('input[name=licence]', 'apache-2.0');
    await page.fill('input[name=endpointUrl]', endpoint.url);
    await page.fill('input[name=endpointModel]', 'oracle');
    await page.selectOption('select[name=release]', DEMO_RELEASE);
    await Promise.all([page.waitForURL(/\/runs\/\d+$/), page.click('button[type=submit]:text-is("Submit")')]);

    // Mark the document: a reload would drop the mark, so seeing it at the end proves the bar updated live.
    await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
    const values = new Set<number>();
    for (let i = 0; i < 200; i++) {
      values.add(Number(await page.getAttribute('[data-testid=run-progress]', 'value')));
      if ((await page.textContent('[data-testid=run-status]')) === 'succeeded') break;
      await page.waitForTimeout(100);
    }
    await page.waitForSelector('[data-testid=run-status]:text("succeeded")');
    const intermediate = [...values].filter((v) => v > 0 && v < demoTestItems.length);
    expect(intermediate.length).toBeGreaterThan(1);
    expect(await page.getAttribute('[data-testid=run-progress]', 'value')).toBe(String(demoTestItems.length));
    expect(await page.textContent('[data-testid=run-score]')).toMatch(/^\d+\.\d$/);
    expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
    await page.screenshot({ path: 'test-output/run-page.png', fullPage: true });
  });
});
