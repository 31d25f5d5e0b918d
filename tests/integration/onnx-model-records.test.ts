/** The database side of ONNX submissions: model/bundle records, the re-upload rule, the shared quota check. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEndpointSubmission } from '../../db/queries/submissions';
import { createOnnxSubmission, getRunSplit, recordRunRuntimeInfo, SubmissionConflictError } from '../../db/queries/onnx-models';
import { getRunSummary, loadRunContext, markRunFinished } from '../../db/queries/runs';
import { adapterFactory } from '../../workers/create-adapter';
import { createOnnxAdapterCache } from '../../workers/onnx-adapter-cache';
import type { OnnxAdapter } from '../../evaluator/onnx/onnx-adapter';
import { releases } from '../../db/schema';
import { submissionLimitRefusal } from '../../app/utils/submission-limits.server';
import { openScratchDatabase, type ScratchDatabase } from '../support/scratch-database';
import { submitterOf, teamId } from '../support/teams';
import { nameKey } from '../../app/auth/name-key';
import { fixtureManifest } from '../support/stored-rows';

describe('ONNX model records (PGlite)', () => {
  let db: ScratchDatabase;
  let releaseId: number;
  let team = 0;
  const submission = (modelName: string, artifactDir: string, split: 'dev' | 'test' = 'test') => ({
    teamId: team,
    submittedBy: null,
    modelName,
    modelNameKey: nameKey(modelName),
    artifactDir,
    artifactManifest: { dtype: 'fp32' },
    artifactBytes: 160_000,
    releaseId,
    split,
    scorerVersion: 'test@1',
    adapterSettings: { timeoutMs: 120_000, memoryLimitMb: 1024, decoding: 'greedy' as const },
  });

  beforeAll(async () => {
    db = await openScratchDatabase('pglite');
    [{ id: releaseId }] = await db.db.insert(releases).values({ name: 'R', version: '1', contentHash: 'h', manifest: fixtureManifest('R') }).returning();
    team = await teamId(db.db, 'Records Team');
  });
  afterAll(async () => db?.destroy());

  it('creates an onnx model that points at its bundle, with a queued run; records runtime info on the run', async () => {
    const { model, run, replacedArtifactDir } = await createOnnxSubmission(db.db, submission('vlm', '/data/models/a'));
    expect(model).toMatchObject({ kind: 'onnx', artifactDir: '/data/models/a', artifactBytes: 160_000, artifactManifest: { dtype: 'fp32' } });
    expect(run.status).toBe('queued');
    expect(replacedArtifactDir).toBeNull();
    expect(await getRunSplit(db.db, run.id)).toBe('test');
    await recordRunRuntimeInfo(db.db, run.id, { device: 'cpu', onnxruntimeVersion: '1.30.0' });
    expect((await getRunSummary(db.db, run.id))?.runtimeInfo).toEqual({ device: 'cpu', onnxruntimeVersion: '1.30.0' });
  });

  it('records load time and memory plan when a shard starts and the peak resident memory when it ends, the highest over shards', async () => {
    // Its own team, so the quota counts of the other tests stay as they are.
    const { run } = await createOnnxSubmission(db.db, { ...submission('planned', '/data/models/planned'), teamId: await teamId(db.db, 'Planning Team') });
    let peak = 900_000_000;
    const memory = { plan: { totalBytes: 1_234 }, hostLimitBytes: 1024 * 2 ** 20, gpu: null, note: 'host memory checked (CPU: weights in host memory)' };
    const adapter = {
      generate: async () => 'A',
      generateWithStats: async () => ({ text: 'A', newTokens: 1, generateMs: 1, preprocessMs: 0 }),
      runtimeInfo: () => ({ device: 'cpu' as const, onnxruntimeVersion: '1.30.0', transformersVersion: '4.3.1' }),
      runnerStarts: () => 1,
      startInfo: () => ({ loadMs: 4321, memory }),
      peakResidentBytes: () => peak,
      close: async () => undefined,
    } as unknown as OnnxAdapter;
    const factory = adapterFactory({ endpointAllowList: [], secretKey: Buffer.alloc(32) }, db.db, createOnnxAdapterCache(async () => adapter));
    const ctx = (await loadRunContext(db.db, run.id))!;
    const info = async () => (await getRunSummary(db.db, run.id))?.runtimeInfo as Record<string, unknown>;

    const first = await factory(ctx);
    expect(await info()).toEqual({ device: 'cpu', onnxruntimeVersion: '1.30.0', transformersVersion: '4.3.1', loadMs: 4321, memory });
    await first.close();
    expect((await info()).peakRssBytes).toBe(900_000_000);
    // The next shard re-records the start (keeping the peak); a lower peak does not replace a higher one.
    peak = 500_000_000;
    const second = await factory(ctx);
    expect(await info()).toMatchObject({ loadMs: 4321, peakRssBytes: 900_000_000 });
    await second.close();
    expect((await info()).peakRssBytes).toBe(900_000_000);
    peak = 2_500_000_000; // past 2^31: stored as a bigint, not an int
    await (await factory(ctx)).close();
    expect((await info()).peakRssBytes).toBe(2_500_000_000);
    await markRunFinished(db.db, run.id, { status: 'succeeded' });
  });

  it('refuses a new bundle while a run is in flight, then accepts it and names the replaced folder', async () => {
    const busy = await createOnnxSubmission(db.db, submission('busy', '/data/models/b1'));
    const refused = await createOnnxSubmission(db.db, submission('busy', '/data/models/b2')).catch((e) => e);
    expect(refused).toBeInstanceOf(SubmissionConflictError);
    expect(refused.message).toContain(`run #${busy.run.id} in progress`);
    // The same bundle again is fine (another split of the same artifact).
    await expect(createOnnxSubmission(db.db, submission('busy', '/data/models/b1', 'dev'))).resolves.toBeTruthy();
    for (const r of await db.db.query.evaluationRuns.findMany()) await markRunFinished(db.db, r.id, { status: 'succeeded' });
    const swapped = await createOnnxSubmission(db.db, submission('busy', '/data/models/b2'));
    expect(swapped.replacedArtifactDir).toBe('/data/models/b1');
    expect(swapped.model.id).toBe(busy.model.id);
    expect(swapped.model.artifactDir).toBe('/data/models/b2');
  });

  it('refuses an ONNX bundle under the name of an endpoint model', async () => {
    await createEndpointSubmission(db.db, {
      ...(await submitterOf(db.db, 'Records Team', 'served')), endpointUrl: 'https://x.example/v1', endpointModel: 'm', releaseId, split: 'dev', scorerVersion: 'test@1', adapterSettings: {},
    });
    await expect(createOnnxSubmission(db.db, submission('served', '/data/models/c'))).rejects.toThrow(/is an endpoint model/);
  });

  it('the shared limits count hidden-split runs of every kind, and only rate-limit the free dev split', async () => {
    // Records Team has made 3 test-split runs and 2 dev-split runs in this file so far.
    const limits = (dailyTestRuns: number, devRunsPerHour = 5) => ({ dailyTestRuns, devRunsPerHour });
    expect(await submissionLimitRefusal(db.db, { teamId: team, userId: null }, 'test', limits(4))).toBeNull();
    expect(await submissionLimitRefusal(db.db, { teamId: team, userId: null }, 'test', limits(3))).toMatch(/has used its 3 hidden-split runs for today/);
    expect(await submissionLimitRefusal(db.db, { teamId: team, userId: null }, 'dev', limits(3))).toBeNull();
    expect(await submissionLimitRefusal(db.db, { teamId: team, userId: null }, 'dev', limits(3, 2))).toMatch(/2 dev-split runs in the last hour \(limit 2\)/);
  });
});
