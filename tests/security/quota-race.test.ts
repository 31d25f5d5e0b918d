/**
 * The hidden-split quota holds under concurrency: six submissions of one team sent at once, with two runs
 * left, start exactly two runs. The quota is checked again inside the transaction that locks the team's row
 * (app/utils/submission-service.server.ts), so two requests cannot both take the last run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { teamMember } from '../support/accounts';
import { DEMO_RELEASE } from '../support/demo-oracle';
import { startFakeEndpoint, type FakeEndpoint } from '../support/fake-chat-endpoint';
import { CARD_FIELDS, postSubmitForm } from '../support/platform-client';
import { startPlatform, type RunningProcess } from '../support/processes';
import { createTestDatabase, realServicesAvailable } from '../support/services';

const servicesUp = await realServicesAvailable();

describe.runIf(servicesUp)('quota under concurrent submissions (real Postgres)', () => {
  let baseUrl = '';
  let platform: RunningProcess | undefined;
  let endpoint: FakeEndpoint;
  let dropDb: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    endpoint = await startFakeEndpoint(() => ({ content: 'Answer: A' }));
    const database = await createTestDatabase();
    dropDb = database.drop;
    const started = await startPlatform({ databaseUrl: database.url, extraEnv: { DAILY_TEST_RUNS: '2', SEED_DEMO: '1' } });
    baseUrl = started.baseUrl;
    platform = started.proc;
  });
  afterAll(async () => {
    await platform?.stop();
    await endpoint?.close();
    await dropDb?.();
  });

  it('six at once with two runs left: two start, four are refused with the quota message', async () => {
    const team = await teamMember({ baseUrl, proc: platform! }, 'Race Lab');
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        postSubmitForm(baseUrl, team, { ...CARD_FIELDS, modelName: `racer-${i}`, endpointUrl: endpoint.url, endpointModel: 'm', release: DEMO_RELEASE, split: 'test' }),
      ),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([302, 302, 429, 429, 429, 429]);
    for (const refused of answers.filter((a) => a.status === 429)) expect(refused.text).toMatch(/used its 2 hidden-split runs for today/);
  });
});
