import path from 'node:path';
import { parseJudgeConfig, type JudgeConfig } from '../evaluator/judge';

/** Runtime settings, read once from the environment. Every default lets `npm start` run with no servers. */
export interface PlatformConfig {
  port: number;
  host: string;
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
  /** ONNX_RUNNER_IDLE_MS: a loaded ONNX model with no work for this long is unloaded (its runner child ends); 0 → never. */
  onnxRunnerIdleMs: number;
  /** WORKER_METRICS_PORT: where `npm run worker` serves /metrics and /healthz (0 → any free port); unset → not served. */
  workerMetricsPort?: number;
  /** METRICS_TOKEN: when set, /metrics answers only requests with `Authorization: Bearer <token>`. */
  metricsToken?: string;
  /** WORKER_SEEN_WITHIN_MS: /readyz counts a worker as present if its heartbeat is at most this old. */
  workerSeenWithinMs: number;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): PlatformConfig {
  const redisUrl = env.REDIS_URL || undefined;
  const dataDir = path.resolve(env.DATA_DIR ?? '.data');
  return {
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '127.0.0.1',
    databaseUrl: env.DATABASE_URL || undefined,
    redisUrl,
    dataDir,
    imageStoreDir: path.resolve(env.IMAGE_STORE_DIR ?? path.join(dataDir, 'images')),
    demoScale: env.DEMO_SCALE ? Number(env.DEMO_SCALE) : undefined,
    demoReleaseDir: env.DEMO_RELEASE_DIR ? path.resolve(env.DEMO_RELEASE_DIR) : undefined,
    queuePrefix: env.QUEUE_PREFIX ?? 'spinebench',
    role: env.PLATFORM_ROLE === 'web' || env.PLATFORM_ROLE === 'all' ? env.PLATFORM_ROLE : redisUrl ? 'web' : 'all',
    seedDemo: env.SEED_DEMO !== '0',
    endpointTimeoutMs: Number(env.ENDPOINT_TIMEOUT_MS ?? 120_000),
    endpointAttempts: Number(env.ENDPOINT_ATTEMPTS ?? 3),
    shardSize: Number(env.SHARD_SIZE ?? 50),
    itemConcurrency: Number(env.ITEM_CONCURRENCY ?? 4),
    maxShardsPerRun: Number(env.MAX_SHARDS_PER_RUN ?? 4),
    workerLockMs: Number(env.WORKER_LOCK_MS ?? 30_000),
    shardBackoffMs: Number(env.SHARD_BACKOFF_MS ?? 2_000),
    janitorIntervalMs: Number(env.JANITOR_INTERVAL_MS ?? 15_000),
    dailyTestRuns: Number(env.DAILY_TEST_RUNS ?? 5),
    devRunsPerHour: Number(env.DEV_RUNS_PER_HOUR ?? 20),
    judge: env.JUDGE_URL
      ? parseJudgeConfig({ baseUrl: env.JUDGE_URL, model: env.JUDGE_MODEL, modelVersion: env.JUDGE_MODEL_VERSION, apiKey: env.JUDGE_API_KEY || undefined })
      : null,
    endpointAllowList: (env.ENDPOINT_ALLOW_LIST ?? '').split(/[\s,]+/).filter(Boolean),
    secretKeySetting: env.SECRET_KEY || undefined,
    adminEmails: (env.ADMIN_EMAILS ?? '').split(/[\s,]+/).filter(Boolean).map((e) => e.toLowerCase()),
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.MAIL_FROM ?? 'SpineBench Hub <no-reply@spinebench.invalid>',
    publicUrl: env.PUBLIC_URL || undefined,
    hiddenSplitAccess:
      env.HIDDEN_SPLIT_ACCESS === 'approved' || env.HIDDEN_SPLIT_ACCESS === 'verified' ? env.HIDDEN_SPLIT_ACCESS : 'institutional',
    signInMaxFailuresPerAccount: Number(env.SIGN_IN_MAX_FAILURES ?? 5),
    signInMaxFailuresPerAddress: Number(env.SIGN_IN_MAX_FAILURES_PER_ADDRESS ?? 30),
    signInWindowMs: Number(env.SIGN_IN_WINDOW_MS ?? 15 * 60_000),
    releaseUploadMaxBytes: Number(env.RELEASE_UPLOAD_MAX_BYTES ?? 2 * 1024 ** 3),
    releaseWorkDir: path.resolve(env.RELEASE_WORK_DIR ?? path.join(dataDir, 'release-work')),
    devItemsPerPage: Number(env.DEV_ITEMS_PER_PAGE ?? 12),
    onnxMemoryLimitMb: Number(env.ONNX_MEMORY_LIMIT_MB ?? 16_384),
    onnxItemTimeoutMs: Number(env.ONNX_ITEM_TIMEOUT_MS ?? 120_000),
    onnxUploadMaxBytes: Number(env.ONNX_UPLOAD_MAX_BYTES ?? 64 * 1024 ** 3),
    uploadsDir: path.join(dataDir, 'uploads'),
    uploadMaxIdleMs: Number(env.UPLOAD_MAX_IDLE_MS ?? 24 * 3_600_000),
    modelsDir: path.join(dataDir, 'models'),
    intakeLeftoverGraceMs: Number(env.INTAKE_LEFTOVER_GRACE_MS ?? 3_600_000),
    onnxSharedRoot: env.ONNX_SHARED_ROOT ? path.resolve(env.ONNX_SHARED_ROOT) : undefined,
    onnxRunnerIdleMs: Number(env.ONNX_RUNNER_IDLE_MS ?? 300_000),
    workerMetricsPort: env.WORKER_METRICS_PORT ? Number(env.WORKER_METRICS_PORT) : undefined,
    metricsToken: env.METRICS_TOKEN || undefined,
    workerSeenWithinMs: Number(env.WORKER_SEEN_WITHIN_MS ?? 60_000),
  };
}
