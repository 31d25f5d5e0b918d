import type { Database } from '../db/client';
import { createEndpointSubmission, findModel, updateModelEndpointUrl } from '../db/queries/submissions';
import { BASELINE_MODELS } from '../evaluator/baselines/baseline-server';
import { SCORER_VERSION } from '../evaluator/scoring';
import type { RunQueue } from '../workers/queue';
import { ensureDemoRelease, type DemoReleaseSettings } from './demo-release';

export const BASELINE_TEAM = 'SpineBench baselines';

/** First start: import the demo release and evaluate the baselines on its hidden split, once. */
export async function seedDemo(db: Database, queue: RunQueue, baselineUrl: string, release: DemoReleaseSettings): Promise<void> {
  const releaseId = await ensureDemoRelease(db, release);
  for (const name of BASELINE_MODELS) {
    const modelName = `baseline-${name}`;
    const existing = await findModel(db, BASELINE_TEAM, modelName);
    if (existing) {
      // Later starts only point the baseline at this process's baseline server.
      await updateModelEndpointUrl(db, existing.id, baselineUrl);
      continue;
    }
    const { run } = await createEndpointSubmission(db, {
      teamName: BASELINE_TEAM,
      modelName,
      endpointUrl: baselineUrl,
      endpointModel: name,
      releaseId,
      split: 'test',
      scorerVersion: SCORER_VERSION,
      adapterSettings: { kind: 'endpoint', baseline: true },
      isBaseline: true,
    });
    await queue.enqueueRun(run.id);
  }
}
