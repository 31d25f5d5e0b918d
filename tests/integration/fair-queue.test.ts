import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { listQueueRuns, runLane } from '../../db/queries/queue-lanes';
import { markRunFinished } from '../../db/queries/runs';
import { createEndpointSubmission } from '../../db/queries/submissions';
import { SCORER_VERSION } from '../../evaluator/scoring';
import { ensureDemoRelease } from '../../server/demo-release';
import { createBullmqQueue, startBullmqWorkers } from '../../workers/bullmq-queue';
import { DEMO_RELEASE_DIR } from '../support/demo-release';
import { openScratchDatabase } from '../support/scratch-database';
import { submitterOf } from '../support/teams';
import { createInProcessQueue } from '../../workers/in-process-queue';
import type { RunPlan, RunProcessors } from '../../workers/queue';
import { fairOrder, jobPriority } from '../../workers/queue-fairness';
import { waitFor } from '../support/platform-client';
import { TEST_REDIS_URL, realServicesAvailable } from '../support/services';

const servicesUp = await realServicesAvailable();

/** Runs 1–10: hidden split, team 1; 11: dev split, team 2; 12: hidden, team 3 (all submitted in that order). */
const lanes = new Map<number, NonNullable<RunPlan['lane']>>();
for (let id = 1; id <= 10; id++) lanes.set(id, { split: 'test', teamId: 1, turn: id - 1 });
lanes.set(11, { split: 'dev', teamId: 2, turn: 0 });
lanes.set(12, { split: 'test', teamId: 3, turn: 0 });

/** Processors that evaluate nothing: they record the order runs start in; `gate` holds the first run. */
function recordingProcessors(started: number[], gate: Promise<void>): RunProcessors {
  return {
    planRun: async (runId) => ({ queue: 'endpoint', shards: [[runId]], lane: lanes.get(runId) }),
    async processShard(job) {
      started.push(job.runId);
      if (started.length === 1) await gate;
      return 'done';
    },
    finalizeRun: async () => {},
    rescoreRun: async () => 0,
    rescoreRelease: async () => {},
    failRescoreRelease: async () => {},
    rerankBoard: async () => {},
    failRun: async () => {},
  };
}

describe('fair queue order (pure)', () => {
  it('puts dev runs first and lets teams take turns', () => {
    const waiting = [...lanes].map(([runId, l]) => ({ runId, ...l }));
    expect(fairOrder(waiting).map((r) => r.runId)).toEqual([11, 1, 12, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(jobPriority('dev', 50)).toBeLessThan(jobPriority('test', 0));
    expect(jobPriority('test', 0)).toBeLessThan(jobPriority('test', 1));
  });
});

describe('in-process queue', () => {
  it('starts a dev run submitted behind ten hidden runs first, and a second team before the first team’s backlog', async () => {
    const started: number[] = [];
    let open!: () => void;
    const queue = createInProcessQueue(recordingProcessors(started, new Promise((r) => (open = r))), { concurrency: 1 });
    for (let id = 1; id <= 12; id++) await queue.enqueueRun(id);
    // Run 1 started at once (the queue was empty) and holds the only slot while the others wait.
    expect(started).toEqual([1]);
    open();
    await waitFor('all twelve runs to start', async () => started.length === 12, 10_000);
    expect(started).toEqual([1, 11, 12, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    await queue.close();
  });
});

describe.runIf(servicesUp)('BullMQ queue (Redis)', () => {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  it('starts a dev run submitted behind ten hidden runs first (job priority), and a second team before the first team’s backlog', async () => {
    const prefix = `sbh-fair-${randomUUID().slice(0, 8)}`;
    const started: number[] = [];
    const processors = recordingProcessors(started, Promise.resolve());
    const queue = createBullmqQueue({ redisUrl: TEST_REDIS_URL, prefix, shardBackoffMs: 100 }, processors.planRun);
    closers.push(() => queue.close());
    for (let id = 1; id <= 12; id++) await queue.enqueueRun(id);
    // The workers start after everything is queued: what runs first is the queue's choice alone.
    const workers = startBullmqWorkers(
      { redisUrl: TEST_REDIS_URL, prefix, roles: ['endpoint', 'scoring'], concurrency: 1, lockDurationMs: 5000, maxShardsPerRun: 1 },
      processors,
    );
    closers.push(() => workers.close());
    await waitFor('all twelve runs to start', async () => started.length === 12, 20_000);
    expect(started).toEqual([11, 1, 12, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
});

describe.runIf(servicesUp)('queue lanes from the database (Postgres)', () => {
  it('a run\'s turn counts its team\'s unfinished runs of the same split submitted before it', async () => {
    const scratch = await openScratchDatabase('postgres');
    try {
      const dataDir = mkdtempSync(path.join(tmpdir(), 'sbh-lanes-'));
      const releaseId = await ensureDemoRelease(scratch.db, { dataDir, imageStoreDir: path.join(dataDir, 'images'), sourceDir: DEMO_RELEASE_DIR });
      const submit = async (team: string, split: 'dev' | 'test') =>
        (await createEndpointSubmission(scratch.db, {
          ...(await submitterOf(scratch.db, team, 'm')), endpointUrl: 'http://127.0.0.1:9/v1', endpointModel: 'm', releaseId, split, scorerVersion: SCORER_VERSION, adapterSettings: {},
        })).run.id;
      const a1 = await submit('Team A', 'test');
      await markRunFinished(scratch.db, a1, { status: 'failed', errorCode: 'internal', errorMessage: 'x', platformFault: true });
      const a2 = await submit('Team A', 'test');
      const a3 = await submit('Team A', 'test');
      const aDev = await submit('Team A', 'dev');
      const b1 = await submit('Team B', 'test');
      expect(await runLane(scratch.db, a2)).toMatchObject({ split: 'test', turn: 0 });
      expect(await runLane(scratch.db, a3)).toMatchObject({ split: 'test', turn: 1 });
      expect(await runLane(scratch.db, aDev)).toMatchObject({ split: 'dev', turn: 0 });
      expect(await runLane(scratch.db, b1)).toMatchObject({ split: 'test', turn: 0 });
      const order = fairOrder(await listQueueRuns(scratch.db)).map((r) => r.runId);
      expect(order).toEqual([aDev, a2, b1, a3]);
    } finally {
      await scratch.destroy();
    }
  });
});
