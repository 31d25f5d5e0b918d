/**
 * The local run loop: for each dev item, the platform's prompt → the model adapter → the platform's
 * scorer (and judge, when one is given). An item whose model call fails is kept with no output (scored
 * as such) and its error, so one bad item does not end a sanity check. I/O only through its arguments.
 */
import { setMaxListeners } from 'node:events';
import PQueue from 'p-queue';
import type { ImageRef, Item, ReportItem } from '../../benchmark/item-schema';
import type { ModelAdapter, PromptImageLoader } from '../adapters/types';
import { isEvaluationError, type ErrorCode } from '../errors';
import type { JudgeOutcome } from '../judge/client';
import { generateAnswer } from '../evaluate-item';
import { aggregateRun, scoreItem, type ItemScore, type RunAggregate } from '../scoring';

/** Judges one generated report (e.g. `judgeReport` bound to a config). */
export type ReportJudge = (item: ReportItem, report: string, signal: AbortSignal) => Promise<JudgeOutcome>;

export interface DevItemResult {
  item: Item;
  /** The model's answer; null when the call failed. */
  rawOutput: string | null;
  error: { code: ErrorCode; message: string } | null;
  score: ItemScore;
  elapsedMs: number;
}

export interface EvaluateDevSplitOptions {
  items: readonly Item[];
  loadImage: PromptImageLoader;
  adapter: ModelAdapter;
  /** Items in flight at once. */
  concurrency: number;
  judge?: ReportJudge;
  /** Called after each item, in completion order. */
  onProgress?: (done: number, total: number, result: DevItemResult) => void;
  signal?: AbortSignal;
  /** Clock for elapsedMs; for tests. */
  now?: () => number;
}

export interface DevSplitEvaluation {
  /** In item order. */
  results: DevItemResult[];
  aggregate: RunAggregate;
  /** Items whose model call failed. */
  errorCount: number;
}

export async function evaluateDevSplit(opts: EvaluateDevSplitOptions): Promise<DevSplitEvaluation> {
  const hidden = opts.items.find((i) => i.split !== 'dev');
  // The hidden split runs only on the platform; refusing here keeps any caller of this loop honest.
  if (hidden) throw new Error('evaluateDevSplit runs dev-split items only; a non-dev item was passed');
  if (!(Number.isInteger(opts.concurrency) && opts.concurrency >= 1)) throw new Error(`concurrency must be a positive integer (got ${opts.concurrency})`);

  const now = opts.now ?? Date.now;
  const controller = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, controller.signal]) : controller.signal;
  // Every queued item and every call in flight listens on it: as many listeners as items, on purpose.
  setMaxListeners(2 * opts.items.length + 16, signal);
  const queue = new PQueue({ concurrency: opts.concurrency });
  const results: DevItemResult[] = new Array(opts.items.length);
  let done = 0;

  const evaluateOne = async (item: Item): Promise<DevItemResult> => {
    const started = now();
    let rawOutput: string | null = null;
    let error: DevItemResult['error'] = null;
    try {
      rawOutput = await generateAnswer(opts.adapter, item, opts.loadImage, signal);
    } catch (e) {
      if (signal.aborted) throw signal.reason ?? e;
      error = isEvaluationError(e) ? { code: e.code, message: e.message } : { code: 'internal', message: (e as Error)?.message ?? String(e) };
    }
    let judge: JudgeOutcome | null = null;
    if (opts.judge && item.task === 'report') judge = await opts.judge(item, rawOutput ?? '', signal);
    const score = scoreItem(item, rawOutput, { judge });
    return { item, rawOutput, error, score, elapsedMs: now() - started };
  };

  try {
    await Promise.all(
      opts.items.map((item, index) =>
        queue.add(
          async () => {
            const result = await evaluateOne(item);
            results[index] = result;
            opts.onProgress?.(++done, opts.items.length, result);
          },
          { signal },
        ),
      ),
    );
  } catch (error) {
    controller.abort();
    queue.clear();
    throw opts.signal?.aborted ? (opts.signal.reason ?? error) : error;
  }

  return {
    results,
    aggregate: aggregateRun(results.map((r) => r.score)),
    errorCount: results.filter((r) => r.error !== null).length,
  };
}
