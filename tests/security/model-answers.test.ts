/**
 * Issue 16 (medium): what a model answers cannot hurt the platform. A 3 MB answer is kept in part and the dev
 * log is paged (it once made a 192 MB page); a lone surrogate ("\ud800") no longer fails the run as a platform
 * fault, and the server log never shows hidden items or answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAs, teamMember } from '../support/accounts';
import { DEMO_RELEASE, demoItems, demoTestItems } from '../support/demo-oracle';
import { startFakeEndpoint, type FakeEndpoint } from '../support/fake-chat-endpoint';
import { submitEndpointRun, waitForRunEnd, type TeamMember } from '../support/platform-client';
import { startPlatform, type RunningProcess } from '../support/processes';

describe('hostile model answers (embedded platform)', () => {
  let baseUrl = '';
  let platform: RunningProcess | undefined;
  let endpoint: FakeEndpoint;
  let team: TeamMember;
  const huge = `Answer: B ${'x'.repeat(3 * 1024 * 1024)}`;

  beforeAll(async () => {
    endpoint = await startFakeEndpoint((model) => ({ content: model === 'huge' ? huge : 'Answer: B \ud800 and \udc00 alone' }));
    const started = await startPlatform({ extraEnv: { SHARD_SIZE: '20' } });
    baseUrl = started.baseUrl;
    platform = started.proc;
    team = await teamMember(started, 'Answer Lab');
  });
  afterAll(async () => {
    await platform?.stop();
    await endpoint?.close();
  });

  const run = async (endpointModel: string, split: 'dev' | 'test') => {
    const runId = await submitEndpointRun(baseUrl, team, { modelName: endpointModel, endpointUrl: endpoint.url, endpointModel, release: DEMO_RELEASE, split });
    return { runId, end: await waitForRunEnd(baseUrl, runId, 120_000) };
  };

  it('keeps part of a 3 MB answer and pages the dev log: the page stays small', async () => {
    const { runId, end } = await run('huge', 'dev');
    expect(end.status).toBe('succeeded');
    const page = await getAs(baseUrl, `/runs/${runId}`);
    expect(page.status).toBe(200);
    expect(page.text.length).toBeLessThan(400_000);
    expect(page.text).toMatch(/more characters\)/);
    const devItems = demoItems.filter((i) => i.split === 'dev').length;
    expect(page.text).toContain(`Items 1–25 of ${devItems}`);
    const next = await getAs(baseUrl, `/runs/${runId}?log=1`);
    expect(next.text).toContain(`Items 26–`);
  });

  it('scores answers with lone surrogates instead of failing the run, and logs nothing of the hidden split', async () => {
    const { end } = await run('surrogate', 'test');
    expect(end.status).toBe('succeeded');
    expect(end.score).not.toBeNull();
    const log = platform!.output();
    for (const item of demoTestItems) {
      expect(log).not.toContain(item.id);
      if (item.task === 'mcq') expect(log).not.toContain(item.question);
    }
    expect(log).not.toContain('\\ud800');
  });
});
