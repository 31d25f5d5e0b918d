/**
 * One runner child process seen from the parent: starts it, enforces the memory limit (RSS polled
 * from /proc, plus V8's heap limit) and the per-call time limit by killing it, and turns every way
 * it can die into a typed EvaluationError. A killed runner stays dead; the adapter starts a new one.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { EvaluationError, type ErrorCode } from '../errors';
import type { ModelPrompt } from '../adapters/types';
import { residentBytes } from './process-memory';
import type { MemoryCheck } from './bundle-memory';
import { RUNNER_ENV, type ChildMemoryPlanOptions, type ChildMessage, type DeviceChoice, type GenerateResult, type ParentMessage, type RuntimeInfo } from './runner-protocol';

export interface RunnerLimits {
  /** 'show' appends the library's error text to generate errors (dev split only: it may quote the item). */
  errorDetail: 'hide' | 'show';
  timeoutMs: number;
  loadTimeoutMs: number;
  memoryLimitMb: number;
  memoryPollMs: number;
  /** Planning options for the child's own memory check after `auto` chose a device (decision 212). */
  planPromptTokens?: number;
  batchSize?: number;
}

type KillReason = 'timeout' | 'resource_limit' | 'aborted' | 'closed';

/** Environment passed to the child: only what ONNX Runtime, CUDA and Vulkan (WebGPU) need; no secrets of the parent. */
const INHERITED_ENV = [
  'PATH', 'HOME', 'TMPDIR', 'LANG', 'LD_LIBRARY_PATH',
  'CUDA_VISIBLE_DEVICES', 'CUDA_HOME', 'NVIDIA_VISIBLE_DEVICES', 'NVIDIA_DRIVER_CAPABILITIES',
  'VK_DRIVER_FILES', 'VK_ICD_FILENAMES', 'VK_ADD_DRIVER_FILES', 'VK_LOADER_DEBUG', 'XDG_RUNTIME_DIR',
];

function childEntry(): { file: string; execArgv: string[] } {
  const js = fileURLToPath(new URL('./runner-child.js', import.meta.url));
  if (existsSync(js)) return { file: js, execArgv: [] };
  const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return { file: fileURLToPath(new URL('./runner-child.ts', import.meta.url)), execArgv: ['--import', tsxLoader] };
}

export class RunnerProcess {
  private readonly child: ChildProcess;
  private killReason: KillReason | null = null;
  private stderrTail = '';
  private exited: Promise<void>;
  private pending: { id: number; reject: (e: Error) => void } | null = null;
  private nextId = 1;
  private readonly memoryTimer: NodeJS.Timeout;
  runtime: RuntimeInfo | null = null;
  peakRssBytes = 0;
  /** Model load time the child reported (ms). */
  loadMs: number | null = null;
  /** The child's memory check for the device `auto` chose; null for a named device (the parent's check holds). */
  memory: MemoryCheck | null = null;

  private constructor(modelDir: string, device: DeviceChoice, private readonly limits: RunnerLimits) {
    const entry = childEntry();
    const plan: ChildMemoryPlanOptions = { memoryLimitMb: limits.memoryLimitMb, promptTokens: limits.planPromptTokens, batchSize: limits.batchSize ?? 1 };
    const env: Record<string, string | undefined> = { [RUNNER_ENV.modelDir]: modelDir, [RUNNER_ENV.device]: device, [RUNNER_ENV.memoryPlan]: JSON.stringify(plan) };
    for (const key of INHERITED_ENV) if (process.env[key] !== undefined) env[key] = process.env[key];
    this.child = fork(entry.file, [], {
      execArgv: [...entry.execArgv, `--max-old-space-size=${limits.memoryLimitMb}`],
      env: env as NodeJS.ProcessEnv,
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    this.child.stderr?.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-4000);
    });
    this.exited = new Promise((resolve) => this.child.once('exit', () => resolve()));
    this.memoryTimer = setInterval(() => void this.checkMemory(), limits.memoryPollMs);
    this.memoryTimer.unref();
    void this.exited.then(() => {
      clearInterval(this.memoryTimer);
      this.pending?.reject(this.deathError());
      this.pending = null;
    });
  }

  /** Starts a child and waits until the model is loaded. */
  static async start(modelDir: string, device: DeviceChoice, limits: RunnerLimits): Promise<RunnerProcess> {
    const runner = new RunnerProcess(modelDir, device, limits);
    await runner.waitReady();
    return runner;
  }

  /** Current resident memory of the child (null when it is gone). */
  residentBytes(): Promise<number | null> {
    return this.child.pid === undefined || !this.alive ? Promise.resolve(null) : residentBytes(this.child.pid);
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null && this.killReason === null;
  }

  private async checkMemory(): Promise<void> {
    if (this.child.pid === undefined || !this.alive) return;
    const rss = await residentBytes(this.child.pid);
    if (rss === null) return;
    this.peakRssBytes = Math.max(this.peakRssBytes, rss);
    if (rss > this.limits.memoryLimitMb * 1024 * 1024) this.kill('resource_limit');
  }

  kill(reason: KillReason): void {
    if (this.killReason === null) this.killReason = reason;
    this.child.kill('SIGKILL');
  }

  private deathError(): EvaluationError {
    const heapExhausted = /heap out of memory|Reached heap limit|std::bad_alloc|Failed to allocate/i.test(this.stderrTail);
    switch (this.killReason) {
      case 'timeout':
        return new EvaluationError('timeout', `The model did not finish within its time limit and was stopped.`);
      case 'resource_limit':
        return new EvaluationError('resource_limit', `The model exceeded its memory limit of ${this.limits.memoryLimitMb} MB and was stopped.`);
      case 'aborted':
      case 'closed':
        return new EvaluationError('internal', 'The model runner was stopped by the platform.', { platformFault: true, transient: true });
      default:
        if (heapExhausted) return new EvaluationError('resource_limit', `The model exhausted its memory (limit ${this.limits.memoryLimitMb} MB).`);
        return new EvaluationError('model_crashed', `The model runner exited unexpectedly (code ${this.child.exitCode ?? this.child.signalCode}).`);
    }
  }

  private waitReady(): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.kill('timeout'), this.limits.loadTimeoutMs);
      const onMessage = (message: ChildMessage) => {
        if (message.type === 'ready') {
          this.runtime = message.runtime;
          this.loadMs = Math.round(message.loadMs);
          this.memory = message.memory ?? null;
          done();
          resolve();
        } else if (message.type === 'error' && message.id === null) {
          done();
          this.kill('closed');
          reject(new EvaluationError(message.code, message.message, { platformFault: message.platformFault, transient: message.transient }));
        }
      };
      const onExit = () => {
        done();
        const error = this.deathError();
        reject(
          this.killReason === 'timeout'
            ? new EvaluationError('timeout', `The model did not load within ${this.limits.loadTimeoutMs} ms.`)
            : error,
        );
      };
      const done = () => {
        clearTimeout(timer);
        this.child.off('message', onMessage);
        this.child.off('exit', onExit);
      };
      this.child.on('message', onMessage);
      this.child.once('exit', onExit);
    });
  }

  /** One generate call, killed at the time limit or on abort. */
  generate(prompt: ModelPrompt, signal?: AbortSignal): Promise<GenerateResult> {
    return this.request((id) => ({ type: 'generate', id, prompt }), this.limits.timeoutMs, signal, (m) => (m.type === 'result' ? m.result : undefined));
  }

  /**
   * Several prompts generated together (decision 213): one outcome per prompt, in order. The time limit is
   * the per-call limit times the number of prompts (what they would have had one by one); a timeout, a
   * crash or an abort fails the whole batch.
   */
  generateBatch(prompts: ModelPrompt[], signal?: AbortSignal): Promise<PromiseSettledResult<GenerateResult>[]> {
    return this.request((id) => ({ type: 'generateBatch', id, prompts }), this.limits.timeoutMs * prompts.length, signal, (m) =>
      m.type === 'batchResult'
        ? m.results.map((r): PromiseSettledResult<GenerateResult> => (r.ok ? { status: 'fulfilled', value: r.result } : { status: 'rejected', reason: this.childError(r) }))
        : undefined,
    );
  }

  private childError(e: { code: ErrorCode; message: string; detail?: string }): EvaluationError {
    const detail = this.limits.errorDetail === 'show' && e.detail ? ` ${e.detail}` : '';
    return new EvaluationError(e.code, e.message + detail);
  }

  /** Sends one request and waits for its answer (`answer` picks it out), killing the child at `timeoutMs` or on abort. */
  private request<T>(message: (id: number) => ParentMessage, timeoutMs: number, signal: AbortSignal | undefined, answer: (m: ChildMessage) => T | undefined): Promise<T> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (!this.alive) return Promise.reject(this.deathError());
    if (this.pending) return Promise.reject(new EvaluationError('internal', 'The runner is busy.', { platformFault: true }));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => this.kill('timeout'), timeoutMs);
      const onAbort = () => {
        this.kill('aborted');
        reject(signal?.reason ?? new DOMException('The operation was aborted.', 'AbortError'));
      };
      const finish = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.child.off('message', onMessage);
        this.pending = null;
      };
      const onMessage = (m: ChildMessage) => {
        if (!('id' in m) || m.id !== id) return;
        if (m.type === 'error') {
          finish();
          reject(this.childError(m));
          return;
        }
        const value = answer(m);
        if (value !== undefined) {
          finish();
          resolve(value);
        }
      };
      this.pending = {
        id,
        reject: (e) => {
          finish();
          reject(e);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.child.on('message', onMessage);
      this.child.send(message(id));
    });
  }

  async close(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.kill('closed');
    await this.exited;
  }
}
