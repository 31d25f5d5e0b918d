/**
 * A team's whole journey in real headless Chromium (embedded defaults), as the accounts issue asks: sign up,
 * verify the address, create a team, invite a member who joins, run a dev check with a model card filled in
 * the form, submit to the hidden split, watch the live progress, see the row on the board, withdraw it.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailedLink, uniqueEmail } from '../support/accounts';
import { seriousAxeViolations } from '../support/axe';
import { launchBrowser } from '../support/browser';
import { DEMO_RELEASE, oracleAnswer } from '../support/demo-oracle';
import { startFakeEndpoint, type FakeEndpoint } from '../support/fake-chat-endpoint';
import { startPlatform, type RunningProcess } from '../support/processes';

const PASSWORD = 'correct horse battery';

describe('a team from sign-up to a withdrawn result (real browser)', () => {
  let browser: Browser;
  let platform: RunningProcess;
  let baseUrl: string;
  let endpoint: FakeEndpoint;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    endpoint = await startFakeEndpoint((_m, text) => ({ content: oracleAnswer(text), delayMs: 60 }));
    const started = await startPlatform({ extraEnv: { SHARD_SIZE: '8', ITEM_CONCURRENCY: '1' } });
    platform = started.proc;
    baseUrl = started.baseUrl;
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
    await endpoint?.close();
  });

  /** A fresh browser profile that signs up and verifies its address through the pages. */
  async function signUpAndVerify(email: string): Promise<Page> {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${baseUrl}/signup`);
    await page.fill('input[name=email]', email);
    await page.fill('input[name=password]', PASSWORD);
    await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/signup')), page.click('button:text-is("Create account")')]);
    await page.goto(await mailedLink({ baseUrl, proc: platform }, email, '/verify-email'));
    await page.click('button:text-is("Verify my address")');
    await page.waitForSelector('text=/verified/i');
    return page;
  }

  it('signs up, builds a team, submits with a model card, watches the hidden run, and withdraws the row', async () => {
    const ownerEmail = uniqueEmail('owner');
    const owner = await signUpAndVerify(ownerEmail);

    // A team, and an invite link that a second person uses once.
    await owner.goto(`${baseUrl}/teams/new`);
    await owner.fill('input[name=name]', 'Journey Spine Lab');
    await Promise.all([owner.waitForURL(/\/teams\/\d+$/), owner.click('button:text-is("Create team")')]);
    const teamUrl = owner.url();
    await owner.click('button:text-is("Create an invite link")');
    const inviteUrl = (await owner.textContent('[data-testid=invite-url]'))!.trim();
    const memberEmail = uniqueEmail('member');
    const member = await signUpAndVerify(memberEmail);
    await member.goto(inviteUrl);
    await Promise.all([member.waitForURL(/\/teams\/\d+$/), member.click('button:text-is("Join Journey Spine Lab")')]);
    await owner.goto(teamUrl);
    expect(await owner.textContent('main')).toContain(memberEmail);

    // A dev check first, from the team page's link; the card is filled in the same form.
    await owner.click('text=Submit a model for this team');
    await owner.waitForURL(/\/submit\?team=\d+/);
    expect(await seriousAxeViolations(owner)).toEqual([]);
    await owner.setViewportSize({ width: 390, height: 844 });
    const wide = await owner.evaluate(() =>
      [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > 391).map((e) => `${e.tagName}.${e.className}#${e.id}`).slice(0, 8),
    );
    expect(wide, 'elements wider than the phone').toEqual([]);
    await owner.screenshot({ path: 'test-output/submit-form-390.png', fullPage: true });
    await owner.setViewportSize({ width: 1280, height: 900 });
    const fillEndpoint = async (split: 'dev' | 'test') => {
      await owner.fill('input[name=modelName]', 'JourneyLab/spine-vlm-7b');
      await owner.fill('input[name=endpointUrl]', endpoint.url);
      await owner.fill('input[name=endpointModel]', 'oracle');
      await owner.selectOption('select[name=release]', DEMO_RELEASE);
      await owner.selectOption('select[name=split]', split);
    };
    await fillEndpoint('test');
    // Without a card the hidden split is refused, naming the missing facts beside their fields.
    await owner.click('button[type=submit]:text-is("Submit")');
    await owner.waitForSelector('#parametersB-error');
    expect(await owner.textContent('#licence-error')).toMatch(/licence before a hidden-split run/);

    await fillEndpoint('dev');
    await owner.fill('input[name=parametersB]', '7');
    await owner.selectOption('select[name=weights]', 'open');
    await owner.fill('input[name=licence]', 'apache-2.0');
    await Promise.all([owner.waitForURL(/\/runs\/\d+$/), owner.click('button[type=submit]:text-is("Submit")')]);
    await owner.waitForSelector('[data-testid=run-status]:text("succeeded")', { timeout: 120_000 });

    // The hidden split: the card is stored now, so the form needs nothing more; the bar fills live.
    await owner.goto(`${baseUrl}/submit`);
    await fillEndpoint('test');
    await Promise.all([owner.waitForURL(/\/runs\/\d+$/), owner.click('button[type=submit]:text-is("Submit")')]);
    const runId = Number(/\/runs\/(\d+)$/.exec(owner.url())![1]);
    const seen = new Set<number>();
    for (let i = 0; i < 600 && (await owner.textContent('[data-testid=run-status]')) !== 'succeeded'; i++) {
      seen.add(Number(await owner.getAttribute('[data-testid=run-progress]', 'value')));
      await owner.waitForTimeout(100);
    }
    expect(await owner.textContent('[data-testid=run-status]')).toBe('succeeded');
    expect(seen.size, 'the progress bar moved while the page stayed open').toBeGreaterThan(2);

    // The row is on the board with the card's facts; the member withdraws it from the team page.
    await owner.goto(`${baseUrl}/leaderboard/${encodeURIComponent(DEMO_RELEASE)}`);
    expect(await owner.textContent('main')).toContain('JourneyLab/spine-vlm-7b');
    await member.goto(teamUrl);
    await member.click(`button[aria-label="Withdraw run ${runId} from the board"]`);
    await member.waitForSelector(`[data-testid=team-run-${runId}] .badge:text("withdrawn")`);
    await owner.goto(`${baseUrl}/leaderboard/${encodeURIComponent(DEMO_RELEASE)}`);
    expect(await owner.textContent('main')).not.toContain('JourneyLab/spine-vlm-7b');
    await owner.goto(`${baseUrl}/runs/${runId}`);
    expect(await owner.textContent('main')).toContain('succeeded');
  }, 300_000);
});
