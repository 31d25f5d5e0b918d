/**
 * `spinebench eval`: loads the dev split, opens the model, runs the loop with a progress bar, writes the
 * per-item log and prints the summary. Returns the exit code.
 */
import cliProgress from 'cli-progress';
import type { ModelAdapter } from '../adapters/types';
import { judgeReport } from '../judge/client';
import { parseJudgeConfig } from '../judge/config';
import type { EvalOptions } from './args';
import { defaultCacheDir, loadDevSplit, type DevSplit } from './dev-split-source';
import { evaluateDevSplit, type ReportJudge } from './evaluate-dev-split';
import { writeItemLog } from './item-log';
import { CliFailure, openModel, prepareOnnxBundle } from './open-model';
import { buildSummary, formatSummary } from './summary';

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  /** Aborted on Ctrl-C. */
  signal?: AbortSignal;
}

function createReportJudge(options: EvalOptions): ReportJudge | undefined {
  if (!options.judge) return undefined;
  let config;
  try {
    config = parseJudgeConfig(options.judge);
  } catch (e) {
    throw new CliFailure((e as Error).message);
  }
  return (item, report, signal) => judgeReport(config, item, report, { signal });
}

export async function runEval(options: EvalOptions, io: CliIo): Promise<number> {
  const status = (line: string) => io.stderr.write(`${line}\n`);
  const judge = createReportJudge(options);
  // A bad bundle is reported before anything slow happens (generation, model load).
  const bundle = options.model.kind === 'onnx' ? await prepareOnnxBundle(options.model.dir, options.model.memoryMb) : null;
  let split: DevSplit | undefined;
  let adapter: ModelAdapter | undefined;
  try {
    try {
      split = await loadDevSplit({ release: options.release, limit: options.limit, cacheDir: defaultCacheDir(io.env), onStatus: status });
    } catch (e) {
      throw new CliFailure(`Cannot use the release ${options.release ?? '(generated SpineBench-Synth)'}: ${(e as Error).message}`);
    }
    if (options.model.kind === 'onnx') status(`Loading the ONNX model from ${options.model.dir} ...`);
    const opened = await openModel(options.model, { timeoutMs: options.timeoutMs, attempts: options.attempts, concurrency: options.concurrency }, bundle?.dir);
    adapter = opened.adapter;
    status(`Evaluating ${split.items.length} dev item${split.items.length === 1 ? '' : 's'} of ${split.release.name} ${split.release.version} ...`);

    const bar = new cliProgress.SingleBar(
      { format: 'dev split {bar} {value}/{total} items | {failed} failed | {duration_formatted}', stream: io.stderr, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    bar.start(split.items.length, 0, { failed: 0 });
    let failed = 0;
    let evaluation;
    try {
      evaluation = await evaluateDevSplit({
        items: split.items,
        loadImage: split.loadImage,
        adapter,
        concurrency: options.concurrency,
        judge,
        signal: io.signal,
        onProgress: (done, _total, result) => {
          if (result.error) failed++;
          bar.update(done, { failed });
        },
      });
    } finally {
      bar.stop();
    }

    if (options.out) {
      await writeItemLog(options.out, evaluation.results);
      status(`Per-item log: ${options.out}`);
    }
    const summary = buildSummary({
      release: { name: split.release.name, version: split.release.version, contentHash: split.release.contentHash },
      model: opened.description,
      devTotal: split.devItemCount,
      results: evaluation.results,
      aggregate: evaluation.aggregate,
    });
    io.stdout.write(options.json ? `${JSON.stringify(summary, null, 2)}\n` : `${formatSummary(summary)}\n`);

    if (evaluation.errorCount === evaluation.results.length && evaluation.results.length > 0) {
      const first = evaluation.results.find((r) => r.error)!.error!;
      status(`Every model call failed; the first error was ${first.code}: ${first.message}`);
      return 1;
    }
    return 0;
  } finally {
    await adapter?.close();
    await split?.dispose();
    await bundle?.dispose();
  }
}
