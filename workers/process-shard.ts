import type { Database } from '../db/client';
import { listPendingItems } from '../db/queries/items';
import { commitItemResults, loadRunContext, markRunFinished, markRunRunning } from '../db/queries/runs';
import type { ModelAdapter } from '../evaluator/adapters/types';
import { EvaluationError, isEvaluationError } from '../evaluator/errors';
import { createRequestLimiter } from '../evaluator/net/limiter';
import { generateAnswer } from '../evaluator/evaluate-item';
import { scoreItem } from '../evaluator/scoring';
import type { ShardJob, ShardOutcome } from './queue';
import type { PromptImageLoader } from '../evaluator/adapters/types';
import { createResultBatcher } from './result-batcher';
import { createRunLivenessCheck } from './run-liveness';
import type { RunContext } from './create-adapter';
import { evaluationErrors, itemsEvaluated, modelCallSeconds, queueWaitSeconds, runsFinished } from './metrics';
import { log } from '../log/logger';

export interface ShardDeps {
  db: Database;
  /** The run's adapter, built from the run's own record (workers/create-adapter.ts). */
  createAdapter(ctx: RunContext): Promise<ModelAdapter>;
  loadImage: PromptImageLoader;
  /** Parallel requests per shard (the per-submission cap divided among its shards in flight). */
  itemConcurrency: number;
  /** Wall time the run may take from its first item; past it the run ends with `time_budget`. */
  runTimeBudgetMs: number;
}

export const DEFAULT_RUN_TIME_BUDGET_MS = 3_600_000;

/** The typed failure of a run past its budget: the team's endpoint (or model) is too slow, not the platform. */
export function timeBudgetError(budgetMs: number): EvaluationError {
  return new EvaluationError('time_budget', `The run took longer than its ${Math.round(budgetMs / 60_000)}-minute budget (RUN_TIME_BUDGET_MS); answers that came in are kept, the run is ended.`);
}

/**
 * Evaluates the items of one shard that are not committed yet, committing each as it comes.
 * A permanent typed error ends the whole run; a transient one (an endpoint that is down, slow or
 * overloaded after its per-request retries) is thrown so the engine retries the shard later.
 * Error messages never quote an item. Returns 'handed-back' when asked to stop (graceful shutdown).
 */
export async function processShard(
  deps: ShardDeps,
  job: ShardJob,
  stop: AbortSignal,
  onProgress: (done: number, total: number) => void,
): Promise<ShardOutcome> {
  const { db } = deps;
  const ctx = await loadRunContext(db, job.runId);
  if (!ctx || ctx.run.status === 'succeeded' || ctx.run.status === 'failed') return 'run-ended';
  if (ctx.run.status === 'queued' && (await markRunRunning(db, job.runId))) {
    queueWaitSeconds.observe({ split: ctx.submission.split }, Math.max(0, Date.now() - ctx.run.createdAt.getTime()) / 1000);
  }
  const kind = ctx.model.kind;
  // The budget counts from the run's first item, across shards, retries and workers.
  const deadline = (ctx.run.startedAt ?? new Date()).getTime() + deps.runTimeBudgetMs;

  const todo = await listPendingItems(db, job.runId, job.itemIds);
  if (todo.length === 0) return 'done';

  const shardAbort = new AbortController();
  const signal = AbortSignal.any([stop, shardAbort.signal]);
  const isRunLive = createRunLivenessCheck(db, job.runId);
  let failure: EvaluationError | undefined;
  const batcher = createResultBatcher((results) => commitItemResults(db, results), (committed) => onProgress(committed, ctx.run.totalItems), {
    maxItems: 25,
    maxDelayMs: 200,
  });
  const adapter = await deps.createAdapter(ctx);
  // An ONNX runner that batches needs that many items waiting at once for its batches to fill.
  const limiter = createRequestLimiter({ concurrency: Math.max(deps.itemConcurrency, adapter.parallelCalls ?? 1) });
  // Calls in flight at the deadline are cut too, so a slow endpoint cannot stretch the budget by its timeouts.
  const budgetTimer = setTimeout(() => {
    failure ??= timeBudgetError(deps.runTimeBudgetMs);
    shardAbort.abort();
  }, Math.min(2_147_483_647, Math.max(0, deadline - Date.now())));
  try {
    await Promise.all(
      todo.map((row) =>
        limiter.schedule(async () => {
          if (signal.aborted) return;
          if (!(await isRunLive())) return shardAbort.abort();
          if (Date.now() > deadline) {
            failure ??= timeBudgetError(deps.runTimeBudgetMs);
            return shardAbort.abort();
          }
          const item = row.payload;
          try {
            const endTimer = modelCallSeconds.startTimer({ kind });
            const output = await generateAnswer(adapter, item, deps.loadImage, signal);
            endTimer();
            itemsEvaluated.inc({ kind, outcome: 'scored' });
            // The full ItemScore is kept with the raw output: it is what aggregation and re-scoring read.
            const scored = scoreItem(item, output);
            batcher.add({ runId: job.runId, itemId: row.id, rawOutput: output, score: scored.score, detail: scored, scorerVersion: scored.scorerVersion });
          } catch (e) {
            // Once the shard is stopping (a failure already recorded, or shutdown), other items' aborts are expected.
            if (signal.aborted) return;
            itemsEvaluated.inc({ kind, outcome: 'error' });
            evaluationErrors.inc({ code: isEvaluationError(e) ? e.code : 'internal' });
            failure ??= isEvaluationError(e)
              ? e
              : new EvaluationError('internal', 'The evaluator failed unexpectedly.', { platformFault: true });
            if (!isEvaluationError(e)) log.error({ runId: job.runId, err: e }, 'unexpected error while evaluating an item');
            shardAbort.abort();
          }
        }),
      ),
    );
  } finally {
    clearTimeout(budgetTimer);
    await adapter.close();
  }
  // Outputs already received are kept even when the shard stops early.
  await batcher.drain();
  if (failure?.transient) throw failure;
  if (failure) {
    const ended = await markRunFinished(db, job.runId, {
      status: 'failed',
      errorCode: failure.code,
      errorMessage: failure.message,
      platformFault: failure.options.platformFault ?? false,
    });
    if (ended) runsFinished.inc({ status: 'failed', code: failure.code });
    return 'run-ended';
  }
  if (stop.aborted) return 'handed-back';
  return shardAbort.signal.aborted ? 'run-ended' : 'done';
}
