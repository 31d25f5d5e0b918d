import type { Item } from '../benchmark/item-schema';
import type { Database } from '../db/client';
import { insertLeaderboardRow } from '../db/queries/leaderboard';
import { listItems } from '../db/queries/releases';
import { commitItemResult, listItemResults, loadRunContext, markRunFinished, markRunRunning } from '../db/queries/runs';
import type { ModelAdapter, PromptImage } from '../evaluator/adapters/types';
import { EvaluationError, isEvaluationError } from '../evaluator/errors';
import { buildMcqPrompt } from '../evaluator/prompt';
import { extractChoice } from '../evaluator/scoring/choice';

export const SCORER_VERSION = 'mcq-accuracy@1';

export interface EvaluateRunDeps {
  db: Database;
  /** Builds the adapter for the run's model (endpoint or ONNX). */
  createAdapter(model: NonNullable<Awaited<ReturnType<typeof loadRunContext>>>['model']): Promise<ModelAdapter>;
  onProgress?(done: number, total: number): void;
}

type StoredImage = { dataBase64: string };

function imagesOf(payload: Item): PromptImage[] {
  return payload.images.map((img) => ({
    data: Buffer.from((img as unknown as StoredImage).dataBase64, 'base64'),
    mimeType: 'image/png',
  }));
}

/**
 * Evaluates one run: every item of its split not yet committed, one at a time, committing each result.
 * Resumable: a re-delivered run continues after its last committed item. A typed adapter error that
 * outlives its retries ends the run as failed with that error; nothing about the item is reported.
 */
export async function evaluateRun(deps: EvaluateRunDeps, runId: number, signal?: AbortSignal): Promise<void> {
  const { db } = deps;
  const ctx = await loadRunContext(db, runId);
  if (!ctx) throw new Error(`Run ${runId} does not exist.`);
  if (ctx.run.status === 'succeeded' || ctx.run.status === 'failed') return;

  const rows = await listItems(db, ctx.release.id, ctx.submission.split);
  const done = new Set((await listItemResults(db, runId)).map((r) => r.itemId));
  await markRunRunning(db, runId, rows.length);
  deps.onProgress?.(done.size, rows.length);

  const adapter = await deps.createAdapter(ctx.model);
  try {
    for (const row of rows) {
      if (done.has(row.id)) continue;
      signal?.throwIfAborted();
      const item = row.payload as Item;
      if (item.task !== 'mcq') continue;
      const output = await adapter.generate(buildMcqPrompt(item, imagesOf(item)), signal);
      const choice = extractChoice(output, item.options);
      await commitItemResult(db, {
        runId,
        itemId: row.id,
        rawOutput: output,
        score: choice.letter === item.answer ? 1 : 0,
        detail: choice,
        scorerVersion: SCORER_VERSION,
      });
      done.add(row.id);
      deps.onProgress?.(done.size, rows.length);
    }
  } catch (e) {
    if (signal?.aborted) throw e;
    const err = isEvaluationError(e) ? e : new EvaluationError('internal', 'The evaluator failed unexpectedly.', { platformFault: true });
    if (!isEvaluationError(e)) console.error(`run ${runId}: unexpected error`, e instanceof Error ? e.message : e);
    await markRunFinished(db, runId, { status: 'failed', errorCode: err.code, errorMessage: err.message });
    return;
  } finally {
    await adapter.close();
  }

  const results = await listItemResults(db, runId);
  const scored = results.filter((r) => r.score !== null);
  const accuracy = scored.length === 0 ? 0 : (100 * scored.reduce((s, r) => s + (r.score ?? 0), 0)) / scored.length;
  await insertLeaderboardRow(db, {
    runId,
    releaseId: ctx.release.id,
    modelId: ctx.model.id,
    split: ctx.submission.split,
    score: accuracy,
    nItems: scored.length,
    breakdown: { mcqAccuracy: accuracy },
    scorerVersion: SCORER_VERSION,
    releaseHash: ctx.release.contentHash,
  });
  await markRunFinished(db, runId, { status: 'succeeded' });
}
