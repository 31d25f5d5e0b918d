/**
 * Issue 16 item 7: a slow endpoint that answers just under its timeout used to hold a worker slot for hours
 * (two free runs blocked the embedded queue for 18 minutes). A run now has a wall-time budget
 * (RUN_TIME_BUDGET_MS): past it the run ends with `time_budget`, and the next team's run gets the slot.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { teamMember } from '../support/accounts';
import { DEMO_RELEASE, oracleAnswer } from '../support/demo-oracle';
import { startFakeEndpoint, type FakeEndpoint } from '../support/fake-chat-endpoint';
import { getJson, submitEndpointRun, waitForRunEnd, type RunJson } from '../support/platform-client';
import { startPlatform, type RunningProcess } from '../support/processes';

describe('a slow endpoint cannot hold the queue (embedded platform)', () => {
  let baseUrl = '';
  let platform: RunningProcess | undefined;
  let endpoint: FakeEndpoint;

  beforeAll(async () => {
    // "slow" answers just under ENDPOINT_TIMEOUT_MS, every time: no timeout ever fires.
    endpoint = await startFakeEndpoint((model, text) => (model === 'slow' ? { content: 'A', delayMs: 1_300 } : { content: oracleAnswer(text) }));
    const started = await startPlatform({
      extraEnv: { ENDPOINT_TIMEOUT_MS: '1500', RUN_TIME_BUDGET_MS: '4000', ITEM_CONCURRENCY: '1', SHARD_SIZE: '100' },
    });
    baseUrl = started.baseUrl;
    platform = started.proc;
  });
  afterAll(async () => {
    await platform?.stop();
    await endpoint?.close();
  });

  it('ends the slow run at its budget with a typed error, and the next team\'s run then finishes', async () => {
    const slowTeam = await teamMember({ baseUrl, proc: platform! }, 'Slow Lab');
    const nextTeam = await teamMember({ baseUrl, proc: platform! }, 'Next Lab');
    const started = Date.now();
    const slow = await submitEndpointRun(baseUrl, slowTeam, { modelName: 'slow', endpointUrl: endpoint.url, endpointModel: 'slow', release: DEMO_RELEASE, split: 'dev' });
    const next = await submitEndpointRun(baseUrl, nextTeam, { modelName: 'quick', endpointUrl: endpoint.url, endpointModel: 'oracle', release: DEMO_RELEASE, split: 'dev' });
    const slowEnd = await waitForRunEnd(baseUrl, slow, 60_000);
    expect(slowEnd).toMatchObject({ status: 'failed', errorCode: 'time_budget' });
    // 60 dev items at 1.3 s each would hold the slot for over a minute; the budget ends it in seconds.
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(slowEnd.doneItems).toBeGreaterThan(0);
    expect(slowEnd.doneItems).toBeLessThan(slowEnd.totalItems);
    expect((await waitForRunEnd(baseUrl, next, 60_000)).status).toBe('succeeded');
    const page = await getJson<RunJson & { errorMessage: string }>(baseUrl, `/api/runs/${slow}`);
    expect(page.errorMessage).toMatch(/budget/);
  }, 120_000);
});
