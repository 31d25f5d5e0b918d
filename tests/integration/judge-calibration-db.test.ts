import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calibrateJudge, CalibrationInputError, CalibrationJudgeError, demoReportItems } from '../../app/utils/judge-calibration.server';
import { listAudit } from '../../db/queries/audit';
import { latestCalibration } from '../../db/queries/judge-calibrations';
import { judgeCalibrations } from '../../db/schema';
import { JudgeModelMismatchError, judgeIdentity, parseJudgeConfig } from '../../evaluator/judge';
import { REPORT_DIMENSIONS } from '../../evaluator/scoring/report-rubric';
import { ensureDemoRelease } from '../../server/demo-release';
import { seedDemoCalibration } from '../../server/seed-demo';
import { DEMO_RELEASE_DIR } from '../support/demo-release';
import { startFakeEndpoint, type FakeEndpoint } from '../support/fake-chat-endpoint';
import { openScratchDatabase, type ScratchDatabase } from '../support/scratch-database';
import { realServicesAvailable } from '../support/services';

const servicesUp = await realServicesAvailable();
const answer = (score: number) => JSON.stringify(Object.fromEntries(REPORT_DIMENSIONS.map((d) => [d, { score, rationale: 'r' }])));
const all = (v: number) => Object.fromEntries(REPORT_DIMENSIONS.map((d) => [d, v]));

/** calibrateJudge against real Postgres: what is written, and that nothing is written on any failure. */
describe.runIf(servicesUp)('judge calibration storage (Postgres)', () => {
  let scratch: ScratchDatabase;
  let judge: FakeEndpoint;
  let releaseId = 0;
  let mode: 'grade' | 'down' = 'grade';
  const config = () => parseJudgeConfig({ baseUrl: judge.url, model: 'pg-judge', modelVersion: 'v1', timeoutMs: 5000, maxAttempts: 1 });
  const count = async () => (await scratch.db.select().from(judgeCalibrations)).length;
  let ids: string[] = [];

  beforeAll(async () => {
    judge = await startFakeEndpoint(() => {
      if (mode === 'down') return { status: 500 };
      return { content: answer(4) };
    });
    scratch = await openScratchDatabase('postgres');
    const dataDir = mkdtempSync(path.join(tmpdir(), 'sbh-calib-'));
    releaseId = await ensureDemoRelease(scratch.db, { dataDir, imageStoreDir: path.join(dataDir, 'images'), sourceDir: DEMO_RELEASE_DIR });
    ids = (await demoReportItems(scratch.db, releaseId, 3)).map((i) => i.itemKey);
  });
  afterAll(async () => {
    await scratch?.destroy();
    await judge?.close();
  });

  const text = () => ids.map((id, i) => JSON.stringify({ item_id: id, report: `report ${i}`, ratings: all(3 + (i % 2)) })).join('\n');
  const run = (over: Partial<Parameters<typeof calibrateJudge>[1]> = {}) =>
    calibrateJudge(scratch.db, { releaseId, judge: config(), text: text(), fileName: 'x.jsonl', synthetic: false, actor: 'maintainer:pg@example.org', ...over });

  it('writes nothing for bad input, a judge that fails on every report, or another model answering', async () => {
    await expect(run({ text: '{"item_id": 1}' })).rejects.toBeInstanceOf(CalibrationInputError);
    mode = 'down';
    await expect(run()).rejects.toBeInstanceOf(CalibrationJudgeError);
    mode = 'grade';
    await expect(run({ judge: { ...config(), servedModel: 'someone-else' } })).rejects.toBeInstanceOf(JudgeModelMismatchError);
    expect(await count()).toBe(0);
    expect(await listAudit(scratch.db, { action: 'judge.calibrate' })).toHaveLength(0);
  });

  it('stores the calibration with an audit entry and finds it by judge configuration; the demo set is seeded once', async () => {
    const { id, agreement } = await run();
    expect(agreement).toMatchObject({ rated: 3, judged: 3 });
    const found = await latestCalibration(scratch.db, releaseId, judgeIdentity(config()).configVersion);
    expect(found?.id).toBe(id);
    expect(await latestCalibration(scratch.db, releaseId, 'judge-prompt-other|pg-judge@v1|t0')).toBeNull();
    const [entry] = await listAudit(scratch.db, { action: 'judge.calibrate' });
    expect(entry).toMatchObject({ actor: 'maintainer:pg@example.org', details: expect.objectContaining({ calibrationId: id, judged: 3 }) });

    const demoJudge = parseJudgeConfig({ baseUrl: judge.url, model: 'pg-judge', modelVersion: 'v2', timeoutMs: 5000 });
    expect(await seedDemoCalibration(scratch.db, releaseId, demoJudge)).toBe(true);
    expect(await seedDemoCalibration(scratch.db, releaseId, demoJudge)).toBe(false);
    const demo = await latestCalibration(scratch.db, releaseId, judgeIdentity(demoJudge).configVersion);
    expect(demo).toMatchObject({ synthetic: true, agreement: expect.objectContaining({ rated: 12, judged: 12 }) });
    expect(await count()).toBe(2);
  });
});
