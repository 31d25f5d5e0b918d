import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeRows } from '../../db/client';
import { listAudit } from '../../db/queries/audit';
import { getLeaderboardRowForRun, setBoardRanks } from '../../db/queries/leaderboard';
import { RescoreConflictError, createRescoreJob, getRescoreJob } from '../../db/queries/rescore-jobs';
import { getRunStatus } from '../../db/queries/runs';
import { createEndpointSubmission } from '../../db/queries/submissions';
import { itemResults, leaderboardRows } from '../../db/schema';
import { SCORER_VERSION } from '../../evaluator/scoring';
import { ensureDemoRelease } from '../../server/demo-release';
import { loadModelRescoreHistory, loadReleaseChangelog } from '../../app/utils/rescore-changes.server';
import { createInProcessQueue } from '../../workers/in-process-queue';
import { rescoreRelease } from '../../workers/rescore-release';
import { rescoreRun } from '../../workers/rescore-run';
import { createRunProcessors } from '../../workers/run-processors';
import { rescheduleLostRescores } from '../../workers/run-janitor';
import { oracleAnswer, oracleExpected } from '../support/demo-oracle';
import { DEMO_RELEASE_DIR } from '../support/demo-release';
import { startFakeEndpoint, type FakeEndpoint } from '../support/fake-chat-endpoint';
import { waitFor } from '../support/platform-client';
import { openScratchDatabase, type ScratchDatabase } from '../support/scratch-database';
import { realServicesAvailable } from '../support/services';
import { submitterOf } from '../support/teams';

const servicesUp = await realServicesAvailable();

/** The scorer version a row had before an aggregation change (aggregate.N-1): what the public saw then. */
const OLD_SCORER_VERSION = SCORER_VERSION.replace(/aggregate\.(\d+)$/, (_m, n: string) => `aggregate.${Number(n) - 1}`);
const OLD_AGGREGATION = /aggregate\.\d+$/.exec(OLD_SCORER_VERSION)![0];
const NEW_AGGREGATION = /aggregate\.\d+$/.exec(SCORER_VERSION)![0];

describe.runIf(servicesUp)('re-scoring a release with a public changelog (Postgres)', () => {
  let scratch: ScratchDatabase;
  let model: FakeEndpoint;
  let releaseId = 0;
  const runs = { oracle: 0, alwaysA: 0, oracleDev: 0 };
  const modelIds = { oracle: 0, alwaysA: 0 };
  const dataDir = mkdtempSync(path.join(tmpdir(), 'sbh-release-rescore-'));
  const settings = {
    endpointTimeoutMs: 5000, endpointAttempts: 2, endpointAllowList: ['127.0.0.1'], secretKey: Buffer.alloc(32, 1),
    shardSize: 10, itemConcurrency: 4, imageStoreDir: path.join(dataDir, 'images'), judge: null,
  };
  const rescore = (runId: number) => rescoreRun(scratch.db, runId, null);

  /**
   * Makes a run look scored by the previous aggregation version with a wrong score, ranks as the public saw them:
   * what a scorer change leaves behind before the re-score.
   */
  async function scoredByOldScorer(runId: number, score: number) {
    const db = scratch.db;
    await executeRows(db, sql`update item_results set scorer_version = ${OLD_SCORER_VERSION}, detail = jsonb_set(detail, '{scorerVersion}', to_jsonb(${OLD_SCORER_VERSION}::text)) where run_id = ${runId}`);
    await db.update(leaderboardRows).set({ score, scorerVersion: OLD_SCORER_VERSION }).where(eq(leaderboardRows.runId, runId));
  }

  beforeAll(async () => {
    scratch = await openScratchDatabase('postgres');
    model = await startFakeEndpoint((name, text) => ({ content: name === 'always-a' ? 'Answer: A' : oracleAnswer(text) }));
    releaseId = await ensureDemoRelease(scratch.db, { dataDir, imageStoreDir: settings.imageStoreDir, sourceDir: DEMO_RELEASE_DIR });
    const queue = createInProcessQueue(createRunProcessors(scratch.db, settings), { concurrency: 3 });
    const submit = async (team: string, name: string, endpointModel: string, split: 'dev' | 'test') => {
      const { run, submission } = await createEndpointSubmission(scratch.db, {
        ...(await submitterOf(scratch.db, team, name)), endpointUrl: model.url, endpointModel, releaseId, split, scorerVersion: SCORER_VERSION, adapterSettings: {},
      });
      await queue.enqueueRun(run.id);
      return { runId: run.id, modelId: submission.modelId };
    };
    const oracle = await submit('Oracle Lab', 'oracle-vlm', 'oracle', 'test');
    const alwaysA = await submit('Letter Lab', 'always-a-vlm', 'always-a', 'test');
    const oracleDev = await submit('Oracle Lab', 'oracle-vlm', 'oracle', 'dev');
    Object.assign(runs, { oracle: oracle.runId, alwaysA: alwaysA.runId, oracleDev: oracleDev.runId });
    Object.assign(modelIds, { oracle: oracle.modelId, alwaysA: alwaysA.modelId });
    await waitFor('three runs to succeed', async () => {
      const states = await Promise.all(Object.values(runs).map((id) => getRunStatus(scratch.db, id)));
      return states.every((s) => s?.status === 'succeeded');
    }, 120_000);
    await queue.close();
  }, 180_000);
  afterAll(async () => {
    await scratch?.destroy();
    await model?.close();
  });

  it('after a scorer change, a re-score moves the right rows and publishes old and new score, interval, rank and why', async () => {
    const db = scratch.db;
    const fresh = await getLeaderboardRowForRun(db, runs.oracle);
    expect(fresh.score).toBeCloseTo(oracleExpected.overall!.score, 6);
    expect(fresh.rank).toBe(1);
    // The old scorer had the oracle at 5 points, below always-A: that is what the board showed.
    await scoredByOldScorer(runs.oracle, 5);
    await setBoardRanks(db, [{ runId: runs.alwaysA, rank: 1, rankLow: 1, rankHigh: 1 }, { runId: runs.oracle, rank: 2, rankLow: 2, rankHigh: 2 }]);
    const alwaysABefore = await getLeaderboardRowForRun(db, runs.alwaysA);

    const job = await createRescoreJob(db, { releaseId, actor: 'maintainer:ana@example.org', reason: 'aggregation fix', scorerVersion: SCORER_VERSION });
    expect(job.runIds).toEqual([runs.oracle, runs.alwaysA, runs.oracleDev]);
    await expect(createRescoreJob(db, { releaseId, actor: 'maintainer:ana@example.org', scorerVersion: SCORER_VERSION })).rejects.toBeInstanceOf(RescoreConflictError);
    const progress: number[] = [];
    await rescoreRelease(db, job.id, rescore, (done) => progress.push(done));
    expect(progress).toEqual([1, 2, 3]);
    expect((await getRescoreJob(db, job.id))!.status).toBe('finished');

    const [published] = await loadReleaseChangelog(db, releaseId);
    expect(published.id).toBe(job.id);
    expect(published.reason).toBe('aggregation fix');
    // The oracle's score was fixed, always-A only lost its rank; the dev run and always-A's score did not move.
    expect(published.changes.map((c) => c.runId).sort()).toEqual([runs.oracle, runs.alwaysA].sort());
    const oracle = published.changes.find((c) => c.runId === runs.oracle)!;
    expect(oracle.old).toMatchObject({ score: 5, rank: 2 });
    expect(oracle.new!.score).toBeCloseTo(oracleExpected.overall!.score, 6);
    expect(oracle.new!.ci).toEqual(oracleExpected.overall!.ci);
    expect(oracle.new!.rank).toBe(1);
    expect(oracle.reasons).toEqual([`aggregation version ${OLD_AGGREGATION} → ${NEW_AGGREGATION}`]);
    const alwaysA = published.changes.find((c) => c.runId === runs.alwaysA)!;
    expect(alwaysA.old).toMatchObject({ score: alwaysABefore.score, rank: 1 });
    expect(alwaysA.new).toMatchObject({ score: alwaysABefore.score, rank: 2 });
    expect(alwaysA.reasons).toEqual(['rank moved because other rows of the board changed']);

    // Older numbers stay visible on the model page.
    const history = await loadModelRescoreHistory(db, modelIds.oracle);
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ jobId: job.id, old: { score: 5 } });

    const audit = await listAudit(db, { subject: 'release:' });
    const start = audit.find((e) => e.action === 'rescore.start')!;
    const finish = audit.find((e) => e.action === 'rescore.finish')!;
    expect(start).toMatchObject({ actor: 'maintainer:ana@example.org', reason: 'aggregation fix', details: { job: job.id, runs: 3 } });
    expect(finish.details).toMatchObject({ job: job.id, runs: 3, rowsMoved: 2 });
  });

  it('a re-score killed half-way resumes after its last finished run and compares with the board from before', async () => {
    const db = scratch.db;
    await scoredByOldScorer(runs.oracle, 7);
    await scoredByOldScorer(runs.alwaysA, 3);
    const job = await createRescoreJob(db, { releaseId, actor: 'maintainer:ben@example.org', reason: 'resume check', scorerVersion: SCORER_VERSION });

    // The process dies while re-scoring the second run: the first is done and recorded, nothing else.
    let calls = 0;
    const dying = async (runId: number) => {
      if (++calls === 2) throw new Error('killed');
      return rescore(runId);
    };
    await expect(rescoreRelease(db, job.id, dying)).rejects.toThrow('killed');
    const halfway = (await getRescoreJob(db, job.id))!;
    expect(halfway.status).toBe('running');
    expect(halfway.doneRunIds).toEqual([runs.oracle]);

    // After the restart the janitor finds the job no engine holds and resumes it.
    const resumed: number[] = [];
    const processors = createRunProcessors(db, settings);
    const queue = createInProcessQueue({
      ...processors,
      rescoreRelease: (id, onProgress) =>
        rescoreRelease(db, id, (runId) => (resumed.push(runId), rescore(runId)), onProgress).then(() => {}),
    });
    expect(await rescheduleLostRescores(db, queue)).toEqual([job.id]);
    await waitFor('the resumed re-score to finish', async () => (await getRescoreJob(db, job.id))!.status === 'finished', 60_000);
    await queue.close();
    expect(resumed).toEqual([runs.alwaysA, runs.oracleDev]);

    const changelog = await loadReleaseChangelog(db, releaseId);
    const latest = changelog.find((j) => j.id === job.id)!;
    const byRun = new Map(latest.changes.map((c) => [c.runId, c]));
    expect(byRun.get(runs.oracle)!.old!.score).toBe(7);
    expect(byRun.get(runs.oracle)!.new!.score).toBeCloseTo(oracleExpected.overall!.score, 6);
    expect(byRun.get(runs.alwaysA)!.old!.score).toBe(3);
    expect(byRun.has(runs.oracleDev)).toBe(false);
    const rescored = await db.select().from(itemResults).where(eq(itemResults.runId, runs.alwaysA));
    expect(rescored.every((r) => r.scorerVersion === SCORER_VERSION)).toBe(true);
    expect((await listAudit(db, { action: 'rescore.finish' })).length).toBe(2);
  });
});
