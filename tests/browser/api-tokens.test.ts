/**
 * The team page's API tokens and the /api/docs page in real headless Chromium (embedded defaults): an owner
 * creates a token with the keyboard-reachable form, sees it once, revokes it; both pages pass axe and fit 390 px.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifiedAccount, type Account } from '../support/accounts';
import { createTeam } from '../support/api-tokens';
import { seriousAxeViolations } from '../support/axe';
import { launchBrowser } from '../support/browser';
import { startPlatform, type RunningProcess } from '../support/processes';

describe('API tokens and docs in a real browser', () => {
  let browser: Browser;
  let platform: RunningProcess;
  let baseUrl: string;
  let owner: Account;
  let teamId: number;

  beforeAll(async () => {
    const started = await startPlatform({ extraEnv: { SEED_DEMO: '0' } });
    platform = started.proc;
    baseUrl = started.baseUrl;
    owner = await verifiedAccount({ baseUrl, proc: platform });
    teamId = await createTeam(baseUrl, owner, 'Browser Token Lab');
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  async function ownerPage(width: number): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const [name, value] = owner.cookie.split('=');
    await context.addCookies([{ name, value, url: baseUrl }]);
    return context.newPage();
  }

  const fitsWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

  it('creates a token (shown once), names a missing field, revokes it; axe-clean at 390 px', async () => {
    const page = await ownerPage(390);
    await page.goto(`${baseUrl}/teams/${teamId}`);
    // Both scopes unticked: the error names the field and nothing is created.
    await page.fill('input[name=tokenName]', 'ci');
    await page.uncheck('input[name=scopes][value=submit]');
    await page.uncheck('input[name=scopes][value=read]');
    await page.click('button:text("Create token")');
    await page.waitForSelector('#scopes-error');
    expect(await page.textContent('#scopes-error')).toContain('Scopes: Choose at least one scope.');
    expect(await page.$('[data-testid=new-api-token]')).toBeNull();

    await page.fill('input[name=tokenName]', 'ci on main');
    await page.check('input[name=scopes][value=submit]');
    await page.click('button:text("Create token")');
    const token = await (await page.waitForSelector('[data-testid=new-api-token]')).textContent();
    expect(token).toMatch(/^sbh_[A-Za-z0-9_-]{43}$/);
    expect(await page.textContent('[data-testid=api-tokens]')).toContain('ci on main');
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(await fitsWidth(page)).toBe(true);
    await page.screenshot({ path: 'test-output/team-api-tokens-390.png', fullPage: true });

    // Reloaded: the token is not shown again.
    await page.goto(`${baseUrl}/teams/${teamId}`);
    expect(await page.$('[data-testid=new-api-token]')).toBeNull();
    expect(await page.content()).not.toContain(token!);
    await page.click('button[aria-label="Revoke API token ci on main"]');
    await page.waitForSelector('[role=status]:has-text("is revoked")');
    // The action's message shows first; the revalidated list follows.
    await page.waitForSelector('[data-testid=api-tokens] .badge:has-text("revoked")');
    expect(await page.textContent('[data-testid=api-tokens]')).toMatch(/revoked \d{4}-\d{2}-\d{2}/);
  });

  it('renders /api/docs from the OpenAPI document without scripts from elsewhere; axe-clean at 390 px', async () => {
    const page = await ownerPage(390);
    await page.goto(`${baseUrl}/api/docs`);
    const doc = (await (await fetch(`${baseUrl}/api/v1/openapi.json`)).json()) as { paths: Record<string, Record<string, { operationId: string }>> };
    for (const ops of Object.values(doc.paths)) for (const op of Object.values(ops)) expect(await page.$(`#${op.operationId}`)).not.toBeNull();
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(await fitsWidth(page)).toBe(true);
    await page.screenshot({ path: 'test-output/api-docs-390.png', fullPage: false });
  });
});
