/**
 * Command-line arguments of `spinebench eval`. Pure: turns argv into options or throws a UsageError
 * (exit code 2) that names the flag and what is wrong with it.
 */
import { parseArgs } from 'node:util';
import type { JudgeConfigInput } from '../judge/config';
import { DEVICE_CHOICES, type DeviceChoice } from '../onnx/runner-protocol';

export class UsageError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export type ModelSource =
  | { kind: 'endpoint'; url: string; model: string; token?: string }
  | { kind: 'onnx'; dir: string; device: DeviceChoice; memoryMb: number };

export interface EvalOptions {
  model: ModelSource;
  /** Only the public dev split exists on a user's machine. */
  split: 'dev';
  /** A release folder or archive; null = generate SpineBench-Synth locally (cached). */
  release: string | null;
  /** Evaluate only the first N dev items. */
  limit: number | null;
  concurrency: number;
  timeoutMs: number;
  attempts: number;
  /** Per-item JSONL log. */
  out: string | null;
  json: boolean;
  judge: JudgeConfigInput | null;
}

export type CliCommand = { command: 'help' } | { command: 'eval'; options: EvalOptions };

/** Same defaults as the platform (README.md, configuration table): 120 s per request, 3 attempts for transient errors. */
export const EVAL_DEFAULTS = { timeoutMs: 120_000, attempts: 3, endpointConcurrency: 4 } as const;

export const USAGE = `Usage: npx spinebench eval (--endpoint URL --model NAME | --onnx PATH) [options]

Runs the platform's evaluator on the public dev split on this machine: the same prompts, adapters and
scorers as a platform run, with per-item logs. The hidden test split is never distributed; it runs only
on the platform.

Model (choose one):
  --endpoint URL            OpenAI-compatible server, e.g. http://127.0.0.1:8000/v1 (vLLM, SGLang, TGI,
                            Ollama, LM Studio). Unlike the platform, the local CLI lets the endpoint be
                            on loopback (localhost, 127.0.0.0/8, ::1) or a private IPv4 network
                            (10/8, 172.16/12, 192.168/16); link-local and cloud metadata addresses
                            stay refused.
  --model NAME              model name sent in each request (required with --endpoint)
  --token TOKEN             the endpoint's bearer token (or set SPINEBENCH_ENDPOINT_TOKEN, which keeps it
                            out of the process list; SPINEBENCH_TOKEN is the platform's API token)
  --onnx PATH               an ONNX bundle folder, or the .tar/.tar.gz/.zip you would upload
                            (docs/onnx-submissions.md): validated first, then run in the platform's
                            child-process runner
  --device auto|cpu|cuda|webgpu
                            ONNX execution device (default auto: CUDA, else WebGPU on a hardware GPU,
                            else CPU)
  --memory-mb MB            ONNX runner memory limit (default: 75% of this machine's memory)

Data:
  --split dev               the split to run; only dev is available locally (default dev)
  --release PATH            a release folder or .tar/.tar.gz/.zip (e.g. the platform's dev download);
                            only its dev items are used. Default: SpineBench-Synth seed 1, generated
                            once into the cache folder ($SPINEBENCH_CACHE_DIR, else ~/.cache/spinebench)
  --limit N                 evaluate only the first N dev items

Run:
  --concurrency N           parallel requests (default ${EVAL_DEFAULTS.endpointConcurrency}; ONNX runs one item at a time)
  --timeout-ms MS           per request or per ONNX generation (default ${EVAL_DEFAULTS.timeoutMs})
  --attempts N              attempts per item for transient endpoint errors (default ${EVAL_DEFAULTS.attempts})

Report judge (optional; without it reports get the deterministic check):
  --judge-url URL           OpenAI-compatible base URL of the judge model
  --judge-model NAME        judge model name
  --judge-model-version V   pinned judge version recorded with the scores
  --judge-token TOKEN       judge bearer token (or set SPINEBENCH_JUDGE_TOKEN)

Output:
  --out FILE                per-item JSONL log (item id, raw output, parsed letter, score, report check)
  --json                    print the summary as JSON instead of a table
  -h, --help                show this help

Exit codes: 0 done, 1 the run could not be done (invalid bundle or release, every item failed), 2 bad arguments.`;

const OPTIONS = {
  endpoint: { type: 'string' },
  model: { type: 'string' },
  token: { type: 'string' },
  onnx: { type: 'string' },
  device: { type: 'string' },
  'memory-mb': { type: 'string' },
  split: { type: 'string' },
  release: { type: 'string' },
  limit: { type: 'string' },
  concurrency: { type: 'string' },
  'timeout-ms': { type: 'string' },
  attempts: { type: 'string' },
  'judge-url': { type: 'string' },
  'judge-model': { type: 'string' },
  'judge-model-version': { type: 'string' },
  'judge-token': { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true }>>['values'];

export interface ArgsEnvironment {
  env?: Record<string, string | undefined>;
  /** Total memory of this machine in bytes (for the ONNX memory default). */
  totalMemoryBytes: number;
}

/** Parses `spinebench <command> [flags]`. Throws UsageError for anything it cannot run. */
export function parseCliArgs(argv: readonly string[], environment: ArgsEnvironment): CliCommand {
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(describeParseError(e));
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0 || positionals[0] === 'help') return { command: 'help' };
  const [command, ...rest] = positionals;
  if (command !== 'eval') throw new UsageError(`unknown command "${command}"; commands are eval, submit, status, leaderboard and login`);
  if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}" (flags start with --)`);
  return { command: 'eval', options: evalOptions(values, environment) };
}

function evalOptions(values: Values, environment: ArgsEnvironment): EvalOptions {
  const env = environment.env ?? {};
  const split = values.split ?? 'dev';
  if (split === 'test') {
    throw new UsageError(
      '--split test is not possible locally: the hidden test split is never distributed. Submit your model on the platform to run it; use --split dev here.',
    );
  }
  if (split !== 'dev') throw new UsageError(`--split must be "dev" (got "${split}")`);

  const model = modelSource(values, env, environment.totalMemoryBytes);
  const defaultConcurrency = model.kind === 'onnx' ? 1 : EVAL_DEFAULTS.endpointConcurrency;
  return {
    model,
    split: 'dev',
    release: nonEmpty(values.release, '--release'),
    limit: values.limit === undefined ? null : positiveInteger(values.limit, '--limit'),
    concurrency: values.concurrency === undefined ? defaultConcurrency : positiveInteger(values.concurrency, '--concurrency'),
    timeoutMs: values['timeout-ms'] === undefined ? EVAL_DEFAULTS.timeoutMs : positiveInteger(values['timeout-ms'], '--timeout-ms'),
    attempts: values.attempts === undefined ? EVAL_DEFAULTS.attempts : positiveInteger(values.attempts, '--attempts'),
    out: nonEmpty(values.out, '--out'),
    json: values.json ?? false,
    judge: judgeOptions(values, env),
  };
}

function modelSource(values: Values, env: Record<string, string | undefined>, totalMemoryBytes: number): ModelSource {
  const endpointOnly = (['model', 'token'] as const).filter((k) => values[k] !== undefined);
  const onnxOnly = (['device', 'memory-mb'] as const).filter((k) => values[k] !== undefined);
  if (values.endpoint !== undefined && values.onnx !== undefined) throw new UsageError('give either --endpoint or --onnx, not both');
  if (values.endpoint !== undefined) {
    if (onnxOnly.length > 0) throw new UsageError(`--${onnxOnly[0]} applies to --onnx only`);
    const url = httpUrl(values.endpoint, '--endpoint');
    if (!values.model) throw new UsageError('--endpoint needs --model NAME (the model name your server expects)');
    // Not SPINEBENCH_TOKEN: that is the platform API token, which must never reach a model endpoint.
    const token = values.token ?? (env.SPINEBENCH_ENDPOINT_TOKEN || undefined);
    return { kind: 'endpoint', url, model: values.model, ...(token ? { token } : {}) };
  }
  if (values.onnx !== undefined) {
    if (endpointOnly.length > 0) throw new UsageError(`--${endpointOnly[0]} applies to --endpoint only`);
    const device = (values.device ?? 'auto') as DeviceChoice;
    if (!DEVICE_CHOICES.includes(device)) throw new UsageError(`--device must be one of ${DEVICE_CHOICES.join(', ')} (got "${device}")`);
    const memoryMb =
      values['memory-mb'] === undefined ? Math.max(512, Math.floor((0.75 * totalMemoryBytes) / 2 ** 20)) : positiveInteger(values['memory-mb'], '--memory-mb');
    return { kind: 'onnx', dir: nonEmpty(values.onnx, '--onnx')!, device, memoryMb };
  }
  throw new UsageError('choose a model: --endpoint URL --model NAME (an OpenAI-compatible server), or --onnx PATH (an ONNX bundle folder or archive)');
}

function judgeOptions(values: Values, env: Record<string, string | undefined>): JudgeConfigInput | null {
  const flags = ['judge-url', 'judge-model', 'judge-model-version'] as const;
  const given = flags.filter((f) => values[f] !== undefined);
  if (given.length === 0) {
    if (values['judge-token'] !== undefined) throw new UsageError('--judge-token needs --judge-url, --judge-model and --judge-model-version');
    return null;
  }
  const missing = flags.filter((f) => values[f] === undefined);
  if (missing.length > 0) throw new UsageError(`a report judge needs ${flags.map((f) => `--${f}`).join(', ')}; missing ${missing.map((f) => `--${f}`).join(', ')}`);
  const apiKey = values['judge-token'] ?? (env.SPINEBENCH_JUDGE_TOKEN || undefined);
  return {
    baseUrl: httpUrl(values['judge-url']!, '--judge-url'),
    model: values['judge-model']!,
    modelVersion: values['judge-model-version']!,
    ...(apiKey ? { apiKey } : {}),
  };
}

function positiveInteger(text: string, flag: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive whole number (got "${text}")`);
  return n;
}

function httpUrl(text: string, flag: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${flag} must be a URL such as http://127.0.0.1:8000/v1 (got "${text}")`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`${flag} must be an http:// or https:// URL (got "${text}")`);
  return text;
}

function nonEmpty(text: string | undefined, flag: string): string | null {
  if (text === undefined) return null;
  if (text.trim() === '') throw new UsageError(`${flag} needs a value`);
  return text;
}

/** node:util's messages, shortened to the part that names the flag. */
function describeParseError(e: unknown): string {
  const error = e as { code?: string; message?: string };
  const message = String(error.message ?? e);
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const flag = /'([^']+)'/.exec(message)?.[1];
    return `unknown option ${flag ?? message}; see --help`;
  }
  const flag = /'(--[\w-]+)/.exec(message)?.[1];
  if (flag && /argument is ambiguous|argument missing/.test(message)) return `${flag} needs a value; see --help`;
  return `${message.split('\n')[0].replace(/\.$/, '')}; see --help`;
}
