import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_RELEASE as RELEASE, demoTestItems as testItems, demoTestMcqItems, oracleAnswer, oracleExpected, oracleMcqAccuracy } from '../support/demo-oracle';

const expectedScore = oracleExpected.overall!.score;
import { startFakeEndpoint, type FakeEndpoint } from '../support/fake-chat-endpoint';
import { CARD_FIELDS, getJson, getText, postSubmitForm, waitFor, type TeamMember } from '../support/platform-client';
import { teamMember } from '../support/accounts';
import { startPlatform, startWorker, type RunningProcess } from '../support/processes';
import { createTestDatabase, realServicesAvailable, TEST_REDIS_URL } from '../support/services';

const configurations = [
  { name: 'real Postgres + Redis, standalone worker', real: true },
  { name: 'embedded PGlite + in-process queue', real: false },
] as const;

const servicesUp = await realServicesAvailable();

describe.each(configurations)('walking skeleton on $name', ({ real }) => {
  const active = !real || servicesUp;
  let baseUrl = '';
  let platform: RunningProcess | undefined;
  let worker: RunningProcess | undefined;
  let endpoint: FakeEndpoint;
  let dropDb: (() => Promise<void>) | undefined;
  let member: TeamMember;

  beforeAll(async () => {
    if (!active) return;
    endpoint = await startFakeEndpoint((model, text) => {
      if (model === 'oracle-half') return { content: oracleAnswer(text) };
      if (model === 'garbage') return { garbage: '<html>upstream exploded</html>' };
      if (model === 'slow') return { hangMs: 10_000 };
      return { status: 404 };
    });
    const extraEnv = { ENDPOINT_TIMEOUT_MS: '800', ENDPOINT_ATTEMPTS: '2', SHARD_BACKOFF_MS: '200', SHARD_SIZE: '10', QUEUE_PREFIX: `sbh-test-${process.pid}-${Date.now()}` };
    if (real) {
      const database = await createTestDatabase();
      dropDb = database.drop;
      const started = await startPlatform({ databaseUrl: database.url, redisUrl: TEST_REDIS_URL, extraEnv });
      baseUrl = started.baseUrl;
      platform = started.proc;
      worker = await startWorker(started.env);
    } else {
      const started = await startPlatform({ extraEnv });
      baseUrl = started.baseUrl;
      platform = started.proc;
    }
    member = await teamMember({ baseUrl, proc: platform! }, 'Test Team');
  });

  afterAll(async () => {
    await worker?.stop();
    await platform?.stop();
    await endpoint?.close();
    await dropDb?.();
  });

  const board = () => getJson(baseUrl, `/api/leaderboard/${encodeURIComponent(RELEASE)}`);

  async function submit(modelName: string, endpointModel: string) {
    const res = await postSubmitForm(baseUrl, member, {
      ...CARD_FIELDS,
      modelName,
      endpointUrl: endpoint.url,
      endpointModel,
      release: RELEASE,
      split: 'test',
    });
    expect(res.status, res.text.slice(0, 300)).toBe(302);
    return Number(/\/runs\/(\d+)/.exec(res.location ?? '')![1]);
  }

  async function finishedRun(runId: number) {
    return waitFor(`run ${runId}`, async () => {
      const page = await getText(baseUrl, `/runs/${runId}`);
      return /data-testid="run-status">(succeeded|failed)</.test(page.text) ? page.text : null;
    });
  }

  it.runIf(active)('evaluates the two labelled baselines on first start', async () => {
    const rows = await waitFor('baseline rows', async () => {
      const b = await board();
      return b.rows.length >= 2 ? b.rows : null;
    });
    const alwaysA = rows.find((r: any) => r.modelName === 'baseline-always-a');
    const isA = (i: (typeof demoTestMcqItems)[number]) => i.answer === 'A';
    const expectA = (kind: string) => {
      const part = demoTestMcqItems.filter((i) => i.inputKind === kind);
      return (100 * part.filter(isA).length) / part.length;
    };
    expect(alwaysA.parts.text_mcq.score).toBeCloseTo(expectA('text'), 6);
    expect(alwaysA.parts.image_mcq.score).toBeCloseTo(expectA('image'), 6);
    expect(alwaysA.ci[0]).toBeLessThanOrEqual(alwaysA.score);
    expect(alwaysA.ci[1]).toBeGreaterThanOrEqual(alwaysA.score);
    expect(alwaysA.nItems).toBe(testItems.length);
    expect(rows.every((r: any) => r.isBaseline)).toBe(true);
    const html = (await getText(baseUrl, `/leaderboard/${encodeURIComponent(RELEASE)}`)).text;
    expect(html).toContain('baseline-random');
    expect(html).toMatch(/class="badge baseline">baseline</);
  });

  it.runIf(active)('a submitted endpoint is evaluated by the worker and ranked with the right score', async () => {
    const runId = await submit('oracle-half-7b', 'oracle-half');
    const page = await finishedRun(runId);
    expect(page).toContain('data-testid="run-status">succeeded<');
    const row = (await board()).rows.find((r: any) => r.runId === runId);
    expect(row.score).toBeCloseTo(expectedScore, 6);
    expect(row.nItems).toBe(testItems.length);
    const mcq = (row.parts.text_mcq.score * row.parts.text_mcq.n + row.parts.image_mcq.score * row.parts.image_mcq.n) /
      (row.parts.text_mcq.n + row.parts.image_mcq.n);
    expect(mcq).toBeCloseTo(oracleMcqAccuracy, 6);
    expect(row.parts.report.score).toBeCloseTo(oracleExpected.parts.report!.score, 6);
    expect(row.reportMethod).toBe('deterministic');
    const html = (await getText(baseUrl, `/leaderboard/${encodeURIComponent(RELEASE)}`)).text;
    expect(html).toContain('oracle-half-7b');
    expect(html).toContain(`<strong>${expectedScore.toFixed(1)}</strong>`);
  });

  it.runIf(active)('bad endpoints end their runs with typed errors while other runs still succeed', async () => {
    const unreachable = await postSubmitForm(baseUrl, member, {
      ...CARD_FIELDS, modelName: 'down', endpointUrl: 'http://127.0.0.1:9/v1', endpointModel: 'x', release: RELEASE, split: 'test',
    });
    const unreachableId = Number(/\/runs\/(\d+)/.exec(unreachable.location ?? '')![1]);
    const garbageId = await submit('garbage-model', 'garbage');
    const slowId = await submit('slow-model', 'slow');
    const goodId = await submit('oracle-again', 'oracle-half');

    expect(await finishedRun(unreachableId)).toMatch(/data-testid="run-error"><strong>unreachable<\/strong>/);
    expect(await finishedRun(garbageId)).toMatch(/<strong>malformed_response<\/strong>/);
    expect(await finishedRun(slowId)).toMatch(/<strong>timeout<\/strong>/);
    expect(await finishedRun(goodId)).toContain('data-testid="run-status">succeeded<');
    const failedRows = (await board()).rows.filter((r: any) => [unreachableId, garbageId, slowId].includes(r.runId));
    expect(failedRows).toEqual([]);
  });

  it.runIf(active)('rejects a bad form with a message naming the field, and creates nothing', async () => {
    const before = (await board()).rows.length;
    const res = await postSubmitForm(baseUrl, member, {
      modelName: 'ok', parametersB: 'lots', endpointUrl: 'ftp://nope', endpointModel: 'x', release: RELEASE, split: 'test',
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain('Parameters: a number of billions, such as 7 or 0.5.');
    expect(res.text).toContain('Endpoint URL must use http or https.');
    expect((await board()).rows.length).toBe(before);
    for (const hostile of ['http://169.254.169.254/latest/v1', 'http://10.0.0.7:8000/v1', 'http://[::ffff:192.168.1.1]/v1']) {
      const refused = await postSubmitForm(baseUrl, member, {
        ...CARD_FIELDS, modelName: 'ssrf', endpointUrl: hostile, endpointModel: 'x', release: RELEASE, split: 'test',
      });
      expect(refused.status, hostile).toBe(400);
      expect(refused.text).toContain('Endpoint URL refused');
    }
    expect((await board()).rows.length).toBe(before);
  });

  it.runIf(active)('never shows hidden test-split questions in any page or JSON answer', async () => {
    const home = (await getText(baseUrl, '/')).text;
    const runIds = [...home.matchAll(/\/runs\/(\d+)/g)].map((m) => m[1]);
    const paths = [
      '/',
      '/submit',
      `/leaderboard/${encodeURIComponent(RELEASE)}`,
      `/api/leaderboard/${encodeURIComponent(RELEASE)}`,
      ...runIds.map((id) => `/runs/${id}`),
      ...runIds.map((id) => `/runs/${id}.data`),
      `/leaderboard/${encodeURIComponent(RELEASE)}.data`,
    ];
    expect(runIds.length).toBeGreaterThan(2);
    for (const p of paths) {
      const { text } = await getText(baseUrl, p);
      for (const item of testItems) {
        expect(text, `${p} leaks ${item.id}`).not.toContain(item.question);
        expect(text, `${p} leaks ${item.id}`).not.toContain(`"${item.id}"`);
        if (item.task === 'report') expect(text, `${p} leaks ${item.id}`).not.toContain(item.caseHistory);
      }
    }
  });
});
