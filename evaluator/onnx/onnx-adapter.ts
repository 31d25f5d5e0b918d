/**
 * ModelAdapter for ONNX submissions: the model runs in a child process (runner-child.ts) that keeps
 * it loaded across calls. A call that passes its time limit, or a child that passes its memory limit,
 * is killed and the call throws EvaluationError 'timeout' / 'resource_limit'; the next call starts a
 * fresh child (reloading the model), so one bad item does not end the run.
 */
import type { ModelAdapter, ModelPrompt } from '../adapters/types';
import { EvaluationError } from '../errors';
import { RunnerProcess, type RunnerLimits } from './runner-process';
import { checkBundleMemory, type MemoryCheck } from './bundle-memory';
import type { DeviceChoice, GenerateResult, RuntimeInfo } from './runner-protocol';

export interface OnnxAdapterOptions {
  /** Extracted, validated bundle folder (holds spinebench-manifest.json and the model files). */
  modelDir: string;
  /** Per generate call (a batch of B prompts gets B times this). */
  timeoutMs: number;
  /** Resident memory of the child process, and V8 heap limit. */
  memoryLimitMb: number;
  /** Model load limit; defaults to max(timeoutMs, 10 minutes) (a 7B model takes a while to load). */
  loadTimeoutMs?: number;
  /** 'auto' (default): CUDA when the execution provider works on this host, else CPU. */
  device?: DeviceChoice;
  /** How often the child's RSS is checked; default 100 ms. */
  memoryPollMs?: number;
  /**
   * 'hide' (default): generate errors carry only a safe message. 'show': the library's error text is
   * appended — use it for the public dev split only, since it may quote the item.
   */
  errorDetail?: 'hide' | 'show';
  /** Prompt length the memory plan assumes (memory-plan.ts DEFAULT_PLAN_PROMPT_TOKENS when unset). */
  planPromptTokens?: number;
  /**
   * Up to this many generate calls waiting at once that share one abort signal (the items of one shard)
   * go to the runner as one batch (decision 213); default 1 (one item per call). Callers must issue
   * calls concurrently for batches to form.
   */
  batchSize?: number;
}

export interface OnnxAdapter extends ModelAdapter {
  /** Device and runtime versions of the loaded model, to record with results. */
  runtimeInfo(): RuntimeInfo;
  /** Like generate, with token count and timing (for throughput measurements). */
  generateWithStats(prompt: ModelPrompt, signal?: AbortSignal): Promise<GenerateResult>;
  /**
   * Several prompts in one batched generation (decision 213), one outcome per prompt in order: an item whose
   * preprocessing fails is rejected alone. Time limit: timeoutMs × prompts. A timeout, memory kill, crash or
   * abort rejects the whole call (the next call starts a fresh child, as for generate).
   */
  generateBatch(prompts: ModelPrompt[], signal?: AbortSignal): Promise<PromiseSettledResult<GenerateResult>[]>;
  /** Number of times the runner child was started (1 + restarts after kills). */
  runnerStarts(): number;
  /** Resident memory of the runner child now (null when it is not running); for metrics. */
  residentBytes?(): Promise<number | null>;
  /** Load time of the current runner child and the memory plan checked before the first start. */
  startInfo?(): { loadMs: number | null; memory: MemoryCheck };
  /** Highest resident memory seen of the runner children so far (bytes; 0 before the first poll). */
  peakResidentBytes?(): number;
}

interface WaitingCall {
  prompt: ModelPrompt;
  signal?: AbortSignal;
  resolve: (result: GenerateResult) => void;
  reject: (error: unknown) => void;
}

export async function createOnnxAdapter(opts: OnnxAdapterOptions): Promise<OnnxAdapter> {
  if (!(opts.timeoutMs > 0) || !(opts.memoryLimitMb > 0)) {
    throw new EvaluationError('internal', 'ONNX adapter needs positive timeoutMs and memoryLimitMb.', { platformFault: true });
  }
  const limits: RunnerLimits = {
    errorDetail: opts.errorDetail ?? 'hide',
    timeoutMs: opts.timeoutMs,
    loadTimeoutMs: opts.loadTimeoutMs ?? Math.max(opts.timeoutMs, 600_000),
    memoryLimitMb: opts.memoryLimitMb,
    memoryPollMs: opts.memoryPollMs ?? 100,
    planPromptTokens: opts.planPromptTokens,
    batchSize: Math.max(1, Math.floor(opts.batchSize ?? 1)),
  };
  const device = opts.device ?? 'auto';
  // Refuses before any child starts when the bundle cannot fit (docs/decisions/212). With `auto` this is a
  // guess (a GPU when nvidia-smi answers); the child checks again for the device it chose, before loading.
  const parentMemory = await checkBundleMemory(opts.modelDir, device, opts.memoryLimitMb, { promptTokens: limits.planPromptTokens, batchSize: limits.batchSize });
  let starts = 1;
  let runner = await RunnerProcess.start(opts.modelDir, device, limits);
  let earlierPeak = 0;
  const runtime = runner.runtime!;
  let closed = false;
  // Calls are serialised: the child answers one request at a time.
  let queue: Promise<unknown> = Promise.resolve();

  const liveRunner = async (): Promise<RunnerProcess> => {
    if (closed) throw new EvaluationError('internal', 'The ONNX adapter is closed.', { platformFault: true });
    if (!runner.alive) {
      starts++;
      earlierPeak = Math.max(earlierPeak, runner.peakRssBytes);
      runner = await RunnerProcess.start(opts.modelDir, device, limits);
    }
    return runner;
  };

  const generateOne = (prompt: ModelPrompt, signal?: AbortSignal): Promise<GenerateResult> => {
    const call = queue.then(async () => (await liveRunner()).generate(prompt, signal));
    queue = call.catch(() => undefined);
    return call;
  };

  // Batching of concurrent calls: each call queues one drain; a drain sends the oldest waiting call and
  // up to batchSize − 1 more with the same signal (so an abort stops only calls that asked for it).
  const batchSize = Math.max(1, Math.floor(opts.batchSize ?? 1));
  const waiting: WaitingCall[] = [];
  const drain = async () => {
    if (waiting.length === 0) return; // taken by an earlier drain
    const { signal } = waiting[0];
    const taken = waiting.filter((w) => w.signal === signal).slice(0, batchSize);
    for (const w of taken) waiting.splice(waiting.indexOf(w), 1);
    try {
      const outcomes = await (await liveRunner()).generateBatch(taken.map((w) => w.prompt), signal);
      outcomes.forEach((o, i) => (o.status === 'fulfilled' ? taken[i].resolve(o.value) : taken[i].reject(o.reason)));
    } catch (e) {
      for (const w of taken) w.reject(e);
    }
  };
  const generateWithStats =
    batchSize === 1
      ? generateOne
      : (prompt: ModelPrompt, signal?: AbortSignal) =>
          new Promise<GenerateResult>((resolve, reject) => {
            waiting.push({ prompt, signal, resolve, reject });
            queue = queue.then(drain);
          });

  const generateBatch = (prompts: ModelPrompt[], signal?: AbortSignal): Promise<PromiseSettledResult<GenerateResult>[]> => {
    if (prompts.length === 0) return Promise.resolve([]);
    const call = queue.then(async () => (await liveRunner()).generateBatch(prompts, signal));
    queue = call.catch(() => undefined);
    return call;
  };

  return {
    generateWithStats,
    generateBatch,
    parallelCalls: batchSize,
    async generate(prompt, signal) {
      return (await generateWithStats(prompt, signal)).text;
    },
    runtimeInfo: () => runtime,
    runnerStarts: () => starts,
    residentBytes: () => runner.residentBytes(),
    startInfo: () => ({ loadMs: runner.loadMs, memory: runner.memory ?? parentMemory }),
    peakResidentBytes: () => Math.max(earlierPeak, runner.peakRssBytes),
    async close() {
      closed = true;
      await runner.close();
    },
  };
}
