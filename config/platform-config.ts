import path from 'node:path';
import { z } from 'zod';
import { parseJudgeConfig, type JudgeConfig } from '../evaluator/judge';
import { ENV_VARIABLES, type EnvName, type EnvValues } from './env-variables';

/**
 * Runtime settings of the web server, the workers and the server-side CLIs, parsed once from the
 * environment by `readConfig` (variables, defaults and what each accepts: `config/env-variables.ts`).
 */
export interface PlatformConfig {
  port: number;
  host: string;
  /** NODE_ENV: `development` logs readable lines, anything else JSON. */
  nodeEnv: 'production' | 'development' | 'test';
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** LOG_FORMAT; unset → chosen by log/logger.ts's chooseLogFormat (terminal or development → pretty). */
  logFormat?: 'json' | 'pretty';
  databaseUrl?: string;
  redisUrl?: string;
  dataDir: string;
  queuePrefix: string;
  /** `web`: serve pages only; `all`: also process jobs in this process (the default without Redis). */
  role: 'web' | 'all';
  seedDemo: boolean;
  /** Content-addressed store of release images. */
  imageStoreDir: string;
  /** DEMO_SCALE: test items of the generated demo release (unset → the paper's 574). */
  demoScale?: number;
  /** DEMO_RELEASE_DIR: a SpineBench-Synth folder to import instead of generating one. */
  demoReleaseDir?: string;
  endpointTimeoutMs: number;
  endpointAttempts: number;
  /** Items per shard: the unit of work a worker takes and resumes. */
  shardSize: number;
  /** Parallel requests within one shard. */
  itemConcurrency: number;
  /** Shards of one run in flight at once across the fleet; with itemConcurrency, the per-submission cap. */
  maxShardsPerRun: number;
  workerLockMs: number;
  /** First delay before a failed shard is tried again (doubles each attempt). */
  shardBackoffMs: number;
  janitorIntervalMs: number;
  /** Addresses the SSRF guard lets through on purpose (IPs, CIDRs, host names), from ENDPOINT_ALLOW_LIST. */
  endpointAllowList: string[];
  /** SECRET_KEY: derives the key for endpoint tokens at rest; unset → a random key kept in DATA_DIR. */
  secretKeySetting?: string;
  /** The LLM judge for reports (JUDGE_URL, JUDGE_MODEL, JUDGE_MODEL_VERSION, JUDGE_API_KEY); null → deterministic check. */
  judge: JudgeConfig | null;
  /** Hidden-split runs per team per UTC day. */
  dailyTestRuns: number;
  /** Free dev-split sanity runs per team per rolling hour. */
  devRunsPerHour: number;
  /** RUN_TIME_BUDGET_MS: a run's wall-time budget from its first item (workers/process-shard.ts). */
  runTimeBudgetMs: number;
  /** HIDDEN_SCORE_LADDER_Z: the Ladder's margin in standard errors (evaluator/scoring/ladder.ts); 0 → off. */
  hiddenScoreLadderZ: number;
  /** ADMIN_EMAILS: addresses that become maintainers once verified (the first maintainers). */
  adminEmails: string[];
  /** SMTP_URL: where account mail goes (nodemailer); unset → printed to the server log. */
  smtpUrl?: string;
  /** MAIL_FROM: the sender of account mail. */
  mailFrom: string;
  /** PUBLIC_URL: the origin put in mailed links; unset → the origin of the request that sent them. */
  publicUrl?: string;
  /**
   * HIDDEN_SPLIT_ACCESS: which teams may run the hidden split. `approved`: a maintainer approved the team;
   * `institutional` (default): approved, or a member verified an address outside the free-mail providers;
   * `verified`: approved, or any member verified an address.
   */
  hiddenSplitAccess: 'approved' | 'institutional' | 'verified';
  /** Failed sign-ins allowed per account, and per client address, within signInWindowMs. */
  signInMaxFailuresPerAccount: number;
  signInMaxFailuresPerAddress: number;
  signInWindowMs: number;
  /** Largest release archive a maintainer may upload, in bytes. */
  releaseUploadMaxBytes: number;
  /** Uploaded release archives while they import, and cached public dev-split downloads. */
  releaseWorkDir: string;
  /** Dev-split items per page of the item browser. */
  devItemsPerPage: number;
  /** Resident memory of one ONNX runner child (MB); a bundle's declaredTotalBytes must fit it. */
  onnxMemoryLimitMb: number;
  /** ONNX_DEVICE: where ONNX runners run models (evaluator/onnx/choose-device.ts). */
  onnxDevice: 'auto' | 'cuda' | 'webgpu' | 'cpu';
  /** Time limit of one ONNX generate call (one item), in ms. */
  onnxItemTimeoutMs: number;
  /** Largest ONNX archive accepted, by the web form or the chunked upload API (bytes). */
  onnxUploadMaxBytes: number;
  /** Partial chunked uploads in progress (DATA_DIR/uploads). */
  uploadsDir: string;
  /** A chunked upload that received nothing for this long is abandoned and removed (ms). */
  uploadMaxIdleMs: number;
  /** Extracted, validated ONNX bundles (DATA_DIR/models/<artifact id>). */
  modelsDir: string;
  /** A bundle folder no model uses, or a `*.upload` file, untouched this long is a crashed intake's leftover (ms). */
  intakeLeftoverGraceMs: number;
  /** ONNX_SHARED_ROOT: the only folder under which teams may register a bundle by path; unset → off. */
  onnxSharedRoot?: string;
  /** ONNX_BATCH_SIZE: items of one shard an ONNX runner generates together (decision 213); 1 → one at a time. */
  onnxBatchSize: number;
  /** ONNX_RUNNER_IDLE_MS: a loaded ONNX model with no work for this long is unloaded (its runner child ends); 0 → never. */
  onnxRunnerIdleMs: number;
  /** WORKER_METRICS_PORT: where `npm run worker` serves /metrics and /healthz (0 → any free port); unset → not served. */
  workerMetricsPort?: number;
  /** METRICS_TOKEN: when set, /metrics answers only requests with `Authorization: Bearer <token>`. */
  metricsToken?: string;
  /** WORKER_SEEN_WITHIN_MS: /readyz counts a worker as present if its heartbeat is at most this old. */
  workerSeenWithinMs: number;
  /** Largest body of a form or JSON request, in bytes (archive uploads have their own limits). */
  requestBodyMaxBytes: number;
  /** Express's `trust proxy` (TRUST_PROXY): which proxies' X-Forwarded-* headers to believe; false by default. */
  trustProxy: boolean | number | string;
  /** PUBLIC_HTTPS=1: clients reach the platform over TLS (through a proxy): HSTS and upgrade-insecure-requests. */
  publicHttps: boolean;
}

/** The environment held invalid values; the message names each variable and what it accepts. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration; fix these environment variables and start again:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const names = Object.keys(ENV_VARIABLES) as EnvName[];

/** Unset and blank are the same: the default applies. */
const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

const envSchema = z
  .object(Object.fromEntries(names.map((name) => [name, z.preprocess(blankToUndefined, ENV_VARIABLES[name].schema.optional())])))
  .superRefine((env, ctx) => {
    if (env.JUDGE_URL === undefined) return;
    for (const name of ['JUDGE_MODEL', 'JUDGE_MODEL_VERSION'] as const) {
      if (env[name] === undefined) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [name], message: 'required' });
    }
  });

function describeProblem(name: EnvName, raw: string | undefined, message: string): string {
  const spec = ENV_VARIABLES[name];
  if (message === 'required') return `${name} is required when JUDGE_URL is set; it accepts ${spec.accepts}`;
  const shown = spec.secret ? '(the value given)' : JSON.stringify(raw);
  return `${name}=${shown} is not valid; it accepts ${spec.accepts}`;
}

/** Parses and checks every variable at once; throws a ConfigError naming each bad one. */
export function parseEnv(env: Env = process.env): EnvValues {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const byName = new Map<EnvName, string>();
    for (const issue of parsed.error.issues) {
      const name = issue.path[0] as EnvName;
      if (!byName.has(name)) byName.set(name, describeProblem(name, env[name], issue.message));
    }
    throw new ConfigError(names.filter((n) => byName.has(n)).map((n) => byName.get(n)!));
  }
  const values = parsed.data as Record<EnvName, unknown>;
  return Object.fromEntries(names.map((name) => [name, values[name] ?? ENV_VARIABLES[name].fallback])) as EnvValues;
}

/** Reads the platform's settings from the environment; throws a ConfigError naming each bad variable. */
export function readConfig(env: Env = process.env): PlatformConfig {
  const v = parseEnv(env);
  const dataDir = path.resolve(v.DATA_DIR);
  return {
    port: v.PORT,
    host: v.HOST,
    nodeEnv: v.NODE_ENV,
    logLevel: v.LOG_LEVEL,
    logFormat: v.LOG_FORMAT,
    databaseUrl: v.DATABASE_URL,
    redisUrl: v.REDIS_URL,
    dataDir,
    imageStoreDir: path.resolve(v.IMAGE_STORE_DIR ?? path.join(dataDir, 'images')),
    demoScale: v.DEMO_SCALE,
    demoReleaseDir: v.DEMO_RELEASE_DIR && path.resolve(v.DEMO_RELEASE_DIR),
    queuePrefix: v.QUEUE_PREFIX,
    role: v.PLATFORM_ROLE ?? (v.REDIS_URL ? 'web' : 'all'),
    seedDemo: v.SEED_DEMO,
    endpointTimeoutMs: v.ENDPOINT_TIMEOUT_MS,
    endpointAttempts: v.ENDPOINT_ATTEMPTS,
    shardSize: v.SHARD_SIZE,
    itemConcurrency: v.ITEM_CONCURRENCY,
    maxShardsPerRun: v.MAX_SHARDS_PER_RUN,
    workerLockMs: v.WORKER_LOCK_MS,
    shardBackoffMs: v.SHARD_BACKOFF_MS,
    janitorIntervalMs: v.JANITOR_INTERVAL_MS,
    dailyTestRuns: v.DAILY_TEST_RUNS,
    devRunsPerHour: v.DEV_RUNS_PER_HOUR,
    hiddenScoreLadderZ: v.HIDDEN_SCORE_LADDER_Z,
    runTimeBudgetMs: v.RUN_TIME_BUDGET_MS,
    judge: v.JUDGE_URL
      ? parseJudgeConfig({ baseUrl: v.JUDGE_URL, model: v.JUDGE_MODEL, modelVersion: v.JUDGE_MODEL_VERSION, apiKey: v.JUDGE_API_KEY })
      : null,
    endpointAllowList: v.ENDPOINT_ALLOW_LIST,
    secretKeySetting: v.SECRET_KEY,
    adminEmails: v.ADMIN_EMAILS,
    smtpUrl: v.SMTP_URL,
    mailFrom: v.MAIL_FROM,
    publicUrl: v.PUBLIC_URL,
    hiddenSplitAccess: v.HIDDEN_SPLIT_ACCESS,
    signInMaxFailuresPerAccount: v.SIGN_IN_MAX_FAILURES,
    signInMaxFailuresPerAddress: v.SIGN_IN_MAX_FAILURES_PER_ADDRESS,
    signInWindowMs: v.SIGN_IN_WINDOW_MS,
    releaseUploadMaxBytes: v.RELEASE_UPLOAD_MAX_BYTES,
    releaseWorkDir: path.resolve(v.RELEASE_WORK_DIR ?? path.join(dataDir, 'release-work')),
    devItemsPerPage: v.DEV_ITEMS_PER_PAGE,
    onnxMemoryLimitMb: v.ONNX_MEMORY_LIMIT_MB,
    onnxDevice: v.ONNX_DEVICE,
    onnxItemTimeoutMs: v.ONNX_ITEM_TIMEOUT_MS,
    onnxUploadMaxBytes: v.ONNX_UPLOAD_MAX_BYTES,
    uploadsDir: path.join(dataDir, 'uploads'),
    uploadMaxIdleMs: v.UPLOAD_MAX_IDLE_MS,
    modelsDir: path.join(dataDir, 'models'),
    intakeLeftoverGraceMs: v.INTAKE_LEFTOVER_GRACE_MS,
    onnxSharedRoot: v.ONNX_SHARED_ROOT && path.resolve(v.ONNX_SHARED_ROOT),
    onnxRunnerIdleMs: v.ONNX_RUNNER_IDLE_MS,
    onnxBatchSize: v.ONNX_BATCH_SIZE,
    workerMetricsPort: v.WORKER_METRICS_PORT,
    metricsToken: v.METRICS_TOKEN,
    workerSeenWithinMs: v.WORKER_SEEN_WITHIN_MS,
    requestBodyMaxBytes: v.REQUEST_BODY_MAX_BYTES,
    trustProxy: parseTrustProxy(v.TRUST_PROXY),
    publicHttps: v.PUBLIC_HTTPS,
  };
}

/** TRUST_PROXY as Express takes it: unset/false → false, true, a hop count, or addresses and subnets. */
export function parseTrustProxy(value: string | undefined): boolean | number | string {
  if (!value || value === 'false' || value === '0') return false;
  if (value === 'true') return true;
  return /^\d+$/.test(value) ? Number(value) : value;
}

/**
 * For entry points (server, worker, CLIs): the config, or the ConfigError's message on stderr and
 * exit code 2 — an operator's mistake, not a crash, so no stack trace.
 */
export function readConfigOrExit(env: Env = process.env): PlatformConfig {
  try {
    return readConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
}
