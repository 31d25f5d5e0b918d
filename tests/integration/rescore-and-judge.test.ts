import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../db/client';
import { getLeaderboardRowForRun } from '../../db/queries/leaderboard';
import { getRunStatus } from '../../db/queries/runs';
import { createEndpointSubmission } from '../../db/queries/submissions';
import { itemResults } from '../../db/schema';
import { parseJudgeConfig } from '../../evaluator/judge';
import { REPORT_DIMENSIONS, SCORER_VERSION } from '../../evaluator/scoring';
import { ensureDemoRelease } from '../../server/demo-release';
import { createInProcessQueue } from '../../workers/in-process-queue';
import { createRunProcessors } from '../../workers/run-processors';
import { oracleAnswer, oracleExpected, demoTestItems } from '../support/demo-oracle';
import { DEMO_RELEASE_DIR } from '../support/demo-release';
import { startFakeEndpoint, type FakeEndpoint } from '../support/fake-chat-endpoint';
import { waitFor } from '../support/platform-client';
import { submitterOf } from '../support/teams';

/** A judge on loopback that speaks Chat Completions and rates every dimension 4 of 5. */
const judgeAnswer = JSON.stringify(Object.fromEntries(REPORT_DIMENSIONS.map((d) => [d, { score: 4, rationale: `fine ${d}` }])));

describe('re-scoring stored outputs and judging reports (embedded database)', () => {
  let handle: DatabaseHandle;
  let model: FakeEndpoint;
  let judge: FakeEndpoint;
  let runId: number;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'sbh-rescore-'));

  beforeAll(async () => {
    model = await startFakeEndpoint((_m, text) => ({ content: oracleAnswer(text) }));
    judge = await startFakeEndpoint(() => ({ content: judgeAnswer }));
    handle = await openDatabase({ dataDir });
    const releaseId = await ensureDemoRelease(handle.db, { dataDir, imageStoreDir: path.join(dataDir, 'images'), sourceDir: DEMO_RELEASE_DIR });
    const settings = {
      endpointTimeoutMs: 5000, endpointAttempts: 2, endpointAllowList: ['127.0.0.1'], secretKey: Buffer.alloc(32, 1),
      shardSize: 10, itemConcurrency: 4, imageStoreDir: path.join(dataDir, 'images'), judge: null,
    };
    const queue = createInProcessQueue(createRunProcessors(handle.db, settings));
    const { run } = await createEndpointSubmission(handle.db, {
      ...(await submitterOf(handle.db, 'Rescore Team', 'oracle')), endpointUrl: model.url, endpointModel: 'oracle', releaseId, split: 'test',
      scorerVersion: SCORER_VERSION, adapterSettings: {},
    });
    runId = run.id;
    await queue.enqueueRun(runId);
    await waitFor('run to succeed', async () => (await getRunStatus(handle.db, runId))?.status === 'succeeded');
  });
  afterAll(async () => {
    await handle?.close();
    await model?.close();
    await judge?.close();
  });

  const processorsWith = (judgeConfig: ReturnType<typeof parseJudgeConfig> | null) =>
    createRunProcessors(handle.db, {
      endpointAllowList: [], secretKey: Buffer.alloc(32, 1),
      shardSize: 10, itemConcurrency: 4, imageStoreDir: path.join(dataDir, 'images'), judge: judgeConfig,
    });

  it('publishes the score the scorer gives the stored outputs', async () => {
    const row = await getLeaderboardRowForRun(handle.db, runId);
    expect(row.score).toBeCloseTo(oracleExpected.overall!.score, 6);
    expect(row.scorerVersion).toBe(SCORER_VERSION);
  });

  it('re-scores from stored raw outputs after a scorer change, without calling the model', async () => {
    const requestsBefore = model.requests.length;
    // Simulate scores made by an older scorer version that got them wrong.
    await handle.db.update(itemResults).set({ score: 0, scorerVersion: 'scorer-0' }).where(eq(itemResults.runId, runId));
    const stale = await handle.db.select().from(itemResults).where(eq(itemResults.runId, runId));
    for (const r of stale) {
      await handle.db.update(itemResults).set({ detail: { ...r.detail!, scorerVersion: 'scorer-0', score: 0 } }).where(eq(itemResults.id, r.id));
    }
    const changed = await processorsWith(null).rescoreRun(runId);
    expect(changed).toBe(demoTestItems.length);
    expect(model.requests.length).toBe(requestsBefore);
    const row = await getLeaderboardRowForRun(handle.db, runId);
    expect(row.score).toBeCloseTo(oracleExpected.overall!.score, 6);
    const rescored = await handle.db.select().from(itemResults).where(eq(itemResults.runId, runId));
    expect(rescored.every((r) => r.scorerVersion === SCORER_VERSION)).toBe(true);
  });

  it('asks the configured judge for every report and labels the board score as judged', async () => {
    const config = parseJudgeConfig({ baseUrl: judge.url, model: 'judge-model', modelVersion: '2026-01', timeoutMs: 5000 });
    await processorsWith(config).rescoreRun(runId);
    const reports = demoTestItems.filter((i) => i.task === 'report');
    expect(judge.requests.length).toBe(reports.length);
    expect(judge.requests.every((r) => r.body.temperature === 0 && r.model === 'judge-model')).toBe(true);
    const row = await getLeaderboardRowForRun(handle.db, runId);
    const agg = row.breakdown as { reportMethod: string; judge: { model: string }; parts: { report: { score: number } } };
    expect(agg.reportMethod).toBe('judge');
    expect(agg.judge.model).toBe('judge-model');
    // Every dimension 4 of 5 → every section mean 4 → 20 × 4 = 80.
    expect(agg.parts.report.score).toBeCloseTo(80, 6);
    // Judged again with the same configuration: nothing new is asked.
    await processorsWith(config).rescoreRun(runId);
    expect(judge.requests.length).toBe(reports.length);
  });
});
