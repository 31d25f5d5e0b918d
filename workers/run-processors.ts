import type { Database } from '../db/client';
import { listItemIds } from '../db/queries/releases';
import { runLane } from '../db/queries/queue-lanes';
import { loadRunContext, markRunFinished, setRunTotal } from '../db/queries/runs';
import { isEvaluationError } from '../evaluator/errors';
import { adapterFactory, type AdapterLimits } from './create-adapter';
import type { JudgeConfig } from '../evaluator/judge';
import { finalizeRun } from './finalize-run';
import { DEFAULT_RUN_TIME_BUDGET_MS } from './process-shard';
import { runsFinished } from './metrics';
import { rescoreRun } from './rescore-run';
import { rescoreRelease } from './rescore-release';
import { failRescoreJob } from '../db/queries/rescore-jobs';
import { processShard } from './process-shard';
import { rankBoard } from './rank-board';
import { storedImageLoader } from './prompt-images';
import { planShards, type RunProcessors } from './queue';
import { log } from '../log/logger';

export interface ProcessorSettings extends AdapterLimits {
  shardSize: number;
  itemConcurrency: number;
  imageStoreDir: string;
  /** The LLM judge for reports; null → reports get the deterministic check alone (labelled so). */
  judge: JudgeConfig | null;
  /** A run's wall-time budget from its first item (RUN_TIME_BUDGET_MS); default 1 h. */
  runTimeBudgetMs?: number;
  /** The Ladder's margin for hidden-split runs (HIDDEN_SCORE_LADDER_Z); default 2, 0 → off. */
  hiddenScoreLadderZ?: number;
}

/** The processors both queue engines run; all state lives in the database. */
export function createRunProcessors(db: Database, settings: ProcessorSettings): RunProcessors {
  const createAdapter = adapterFactory(settings, db);
  return {
    async planRun(runId) {
      const ctx = await loadRunContext(db, runId);
      if (!ctx) throw new Error(`Run ${runId} does not exist.`);
      const itemIds = await listItemIds(db, ctx.release.id, ctx.submission.split);
      await setRunTotal(db, runId, itemIds.length);
      return {
        queue: ctx.run.adapterSettings.kind === 'onnx' ? 'onnx' : 'endpoint',
        shards: planShards(itemIds, settings.shardSize),
        lane: await runLane(db, runId),
      };
    },
    processShard: (job, signal, onProgress) =>
      processShard({ db, createAdapter, loadImage: storedImageLoader(settings.imageStoreDir), itemConcurrency: settings.itemConcurrency, runTimeBudgetMs: settings.runTimeBudgetMs ?? DEFAULT_RUN_TIME_BUDGET_MS }, job, signal, onProgress),
    finalizeRun: (runId) => finalizeRun(db, runId, settings.judge, settings.hiddenScoreLadderZ),
    rescoreRun: (runId) => rescoreRun(db, runId, settings.judge, settings.hiddenScoreLadderZ),
    async rescoreRelease(jobId, onProgress) {
      await rescoreRelease(db, jobId, (runId) => rescoreRun(db, runId, settings.judge, settings.hiddenScoreLadderZ), onProgress);
    },
    async failRescoreRelease(jobId, error) {
      log.error({ rescoreJobId: jobId, err: error }, 're-score job failed for good');
      await failRescoreJob(db, jobId, error instanceof Error ? error.message : String(error));
    },
    rerankBoard: (releaseId, split) => rankBoard(db, releaseId, split),
    async failRun(runId, error) {
      const typed = isEvaluationError(error) ? error : undefined;
      if (!typed) log.error({ runId, err: error }, 'run failed for good');
      const ended = await markRunFinished(db, runId, {
        status: 'failed',
        errorCode: typed?.code ?? 'internal',
        errorMessage: typed?.message ?? 'The platform could not finish this run.',
        platformFault: typed ? (typed.options.platformFault ?? false) : true,
      });
      if (ended) runsFinished.inc({ status: 'failed', code: typed?.code ?? 'internal' });
    },
  };
}
