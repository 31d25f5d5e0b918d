import { decimal, emailList, flag, oneOf, text, url, wholeNumber, wordList, type EnvValue } from './env-values';

/** One environment variable the platform reads: how to parse it, its default, and what it is for. */
export interface EnvVariable<T = unknown> extends EnvValue<T> {
  /** Used when the variable is unset or empty; `undefined` means "off" or "derived" (see defaultText). */
  fallback: T | undefined;
  /** The default as the README shows it. */
  defaultText: string;
  meaning: string;
  /** Never echoed in an error message. */
  secret?: boolean;
}

function variable<T, F extends T | undefined>(
  value: EnvValue<T>,
  fallback: F,
  defaultText: string,
  meaning: string,
  secret = false,
): EnvVariable<T> & { fallback: F } {
  return { ...value, fallback, defaultText, meaning, secret };
}

const milliseconds = (min = 1) => wholeNumber(min);

/**
 * Every environment variable of the web server, the workers and the server-side CLIs, in README order.
 * Adding one here adds it to `readConfig`'s input and (after `npm run config:table`) to the README.
 */
export const ENV_VARIABLES = {
  // Where it runs
  PORT: variable(wholeNumber(0, 65_535), 3000, '`3000`', 'port of the web server (`0`: any free port)'),
  HOST: variable(text('a host name or IP address'), '127.0.0.1', '`127.0.0.1`', 'address the web server listens on'),
  NODE_ENV: variable(oneOf(['production', 'development', 'test']), 'production', '`production`', '`development` prints readable logs (see `LOG_FORMAT`)'),
  LOG_LEVEL: variable(oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']), 'info', '`info`', 'least severe log level written'),
  LOG_FORMAT: variable(oneOf(['json', 'pretty']), undefined, 'unset → `pretty` at a terminal or with `NODE_ENV=development`, else `json`', 'log lines as JSON (one record a line, pino\'s shape) or readable text'),
  DATA_DIR: variable(text('a folder path'), '.data', '`.data`', 'embedded database and local files'),
  DATABASE_URL: variable(url(['postgres:', 'postgresql:']), undefined, 'unset → embedded PGlite in `DATA_DIR`', 'PostgreSQL connection string; migrations run on start'),
  REDIS_URL: variable(url(['redis:', 'rediss:']), undefined, 'unset → in-process queue', 'Redis for BullMQ (needs `maxmemory-policy noeviction`)'),
  QUEUE_PREFIX: variable(text('a key prefix'), 'spinebench', '`spinebench`', 'BullMQ key prefix'),
  PLATFORM_ROLE: variable(oneOf(['web', 'all']), undefined, '`web` with Redis, `all` without', '`all` also runs jobs in the web process'),
  SECRET_KEY: variable(text('any text (keep it secret)'), undefined, 'random key kept in `DATA_DIR`', 'derives the key that encrypts endpoint tokens at rest; same value on every process', true),
  // Runs
  ENDPOINT_TIMEOUT_MS: variable(milliseconds(), 120_000, '`120000`', 'time limit of one request to a submitted endpoint (ms)'),
  ENDPOINT_ATTEMPTS: variable(wholeNumber(1, 100), 3, '`3`', 'attempts per item for transient errors'),
  ENDPOINT_ALLOW_LIST: variable(wordList('IPs, CIDRs or host names, separated by commas or spaces'), [], 'empty', 'addresses the SSRF guard lets through on purpose'),
  SHARD_SIZE: variable(wholeNumber(1), 50, '`50`', 'items per shard: the unit of work a worker takes and resumes'),
  ITEM_CONCURRENCY: variable(wholeNumber(1), 4, '`4`', 'parallel requests within one shard'),
  RUN_TIME_BUDGET_MS: variable(milliseconds(), 3_600_000, '`3600000` (1 h)', 'wall time a run may take from its first item; past it the run ends with `time_budget`, so a slow endpoint cannot hold a worker slot for hours'),
  MAX_SHARDS_PER_RUN: variable(wholeNumber(1), 4, '`4`', 'shards of one run in flight across the fleet (with `ITEM_CONCURRENCY`, the per-submission cap)'),
  WORKER_LOCK_MS: variable(milliseconds(), 30_000, '`30000`', "job lock (ms); a dead worker's shard is taken over after it"),
  SHARD_BACKOFF_MS: variable(milliseconds(0), 2_000, '`2000`', 'first delay before a failed shard is tried again (ms; doubles each attempt)'),
  JANITOR_INTERVAL_MS: variable(milliseconds(), 15_000, '`15000`', 'how often unfinished runs missing from the queue are re-enqueued (ms)'),
  // Quotas
  DAILY_TEST_RUNS: variable(wholeNumber(0), 5, '`5`', 'hidden-split runs per team per UTC day'),
  DEV_RUNS_PER_HOUR: variable(wholeNumber(0), 20, '`20`', 'free dev-split sanity runs per team per rolling hour'),
  HIDDEN_SCORE_LADDER_Z: variable(decimal(0, 10), 2, '`2`', "the Ladder: a team's new hidden-split run reaches the board only when its paired gain over the team's best exceeds this many standard errors; `0` turns it off"),
  // ONNX
  ONNX_UPLOAD_MAX_BYTES: variable(wholeNumber(1), 64 * 1024 ** 3, '`68719476736` (64 GiB)', 'largest ONNX archive accepted (web form or upload API)'),
  UPLOAD_MAX_IDLE_MS: variable(milliseconds(), 24 * 3_600_000, '`86400000`', 'a chunked ONNX upload idle this long is removed (ms)'),
  ONNX_MEMORY_LIMIT_MB: variable(wholeNumber(1), 16_384, '`16384`', "resident memory of one ONNX runner (MB); a bundle's declared size must fit"),
  ONNX_DEVICE: variable(oneOf(['auto', 'cuda', 'webgpu', 'cpu'] as const), 'auto', '`auto`', 'where ONNX workers run models: `auto` tries CUDA, then WebGPU on a hardware GPU, then the CPU, and records why each was skipped'),
  ONNX_ITEM_TIMEOUT_MS: variable(milliseconds(), 120_000, '`120000`', 'time limit of one ONNX generate call (one item, ms)'),
  ONNX_SHARED_ROOT: variable(text('a folder path'), undefined, 'unset → off', 'folder under which teams may register ONNX bundles by path'),
  ONNX_BATCH_SIZE: variable(wholeNumber(1), 1, '`1`', 'ONNX items of one shard generated together as one padded batch (each answer as if alone); the shard issues at least this many at once, and the batch time limit is `ONNX_ITEM_TIMEOUT_MS` × items'),
  ONNX_RUNNER_IDLE_MS: variable(milliseconds(0), 300_000, '`300000`', 'a loaded ONNX model with no work for this long is unloaded (its runner child ends); `0` keeps it'),
  INTAKE_LEFTOVER_GRACE_MS: variable(milliseconds(), 3_600_000, '`3600000`', "an unused bundle folder or `*.upload` file untouched this long is a crashed intake's leftover and is removed (ms)"),
  // Accounts
  ADMIN_EMAILS: variable(emailList(), [], 'empty', 'addresses that become maintainers once verified'),
  SMTP_URL: variable(url(['smtp:', 'smtps:']), undefined, 'unset → mail printed to the log', 'SMTP server for account mail (nodemailer URL, e.g. `smtps://user:pass@mail.example.org`)', true),
  MAIL_FROM: variable(text('a sender, e.g. `Name <address>`'), 'SpineBench Hub <no-reply@spinebench.invalid>', '`SpineBench Hub <no-reply@spinebench.invalid>`', 'sender of account mail'),
  PUBLIC_URL: variable(url(['http:', 'https:']), undefined, "unset → the request's origin", 'origin used in mailed links; set it in production'),
  HIDDEN_SPLIT_ACCESS: variable(oneOf(['approved', 'institutional', 'verified']), 'institutional', '`institutional`', 'which teams may run the hidden split: approved by a maintainer; or also with a member verified outside the free-mail providers; or also with any verified member'),
  SIGN_IN_MAX_FAILURES: variable(wholeNumber(1), 5, '`5`', 'failed sign-ins allowed per account within `SIGN_IN_WINDOW_MS`'),
  SIGN_IN_MAX_FAILURES_PER_ADDRESS: variable(wholeNumber(1), 30, '`30`', 'failed sign-ins allowed per client address within `SIGN_IN_WINDOW_MS`'),
  SIGN_IN_WINDOW_MS: variable(milliseconds(), 15 * 60_000, '`900000`', 'window of the sign-in failure limits (ms)'),
  // Operations
  WORKER_METRICS_PORT: variable(wholeNumber(0, 65_535), undefined, 'unset → not served', 'where `npm run worker` serves `/metrics` and `/healthz` (`0`: any free port, printed on the ready line)'),
  METRICS_TOKEN: variable(text('any text (keep it secret)'), undefined, 'unset → open', 'when set, `/metrics` (web and workers) answers only `Authorization: Bearer <token>`', true),
  WORKER_SEEN_WITHIN_MS: variable(milliseconds(), 60_000, '`60000`', '`/readyz` counts a worker present when its heartbeat is at most this old (ms)'),
  REQUEST_BODY_MAX_BYTES: variable(wholeNumber(1), 1024 * 1024, '`1048576` (1 MiB)', 'largest body of a form or JSON request (archive uploads have their own limits)'),
  TRUST_PROXY: variable(text('`false`, `true`, a hop count, or proxy addresses/subnets'), undefined, 'unset → false', "Express's `trust proxy`: which proxies' `X-Forwarded-*` headers to believe"),
  PUBLIC_HTTPS: variable(flag(), false, '`0`', 'clients reach the platform over TLS (through a proxy): HSTS, upgrade-insecure-requests and Secure cookies'),
  // Releases
  RELEASE_UPLOAD_MAX_BYTES: variable(wholeNumber(1), 2 * 1024 ** 3, '`2147483648` (2 GiB)', 'largest release archive a maintainer may upload'),
  RELEASE_WORK_DIR: variable(text('a folder path'), undefined, '`DATA_DIR/release-work`', 'uploads while importing; cached dev-split downloads'),
  IMAGE_STORE_DIR: variable(text('a folder path'), undefined, '`DATA_DIR/images`', 'content-addressed store of release images'),
  DEV_ITEMS_PER_PAGE: variable(wholeNumber(1, 500), 12, '`12`', 'items per page of the dev item browser'),
  // The report judge
  JUDGE_URL: variable(url(['http:', 'https:']), undefined, 'unset → deterministic report check', 'OpenAI-compatible base URL of the LLM judge for reports (with `JUDGE_MODEL`, `JUDGE_MODEL_VERSION`)'),
  JUDGE_MODEL: variable(text('a model name'), undefined, 'unset', 'model name sent to the judge; required with `JUDGE_URL`'),
  JUDGE_MODEL_VERSION: variable(text('a version label'), undefined, 'unset', 'pinned judge version recorded with every score; required with `JUDGE_URL`'),
  JUDGE_API_KEY: variable(text('any text (keep it secret)'), undefined, 'unset', 'bearer token for the judge', true),
  // Demo
  SEED_DEMO: variable(flag(), true, '`1`', '`0` skips the demo release and baselines'),
  DEMO_SCALE: variable(wholeNumber(3), undefined, 'unset → 574', "test items of the generated demo release"),
  DEMO_RELEASE_DIR: variable(text('a folder path'), undefined, 'unset → generated', 'a SpineBench-Synth folder to import instead of generating one'),
} satisfies Record<string, EnvVariable<any>>;

export type EnvName = keyof typeof ENV_VARIABLES;

/** The parsed value of each variable (`undefined` where unset and without a fixed default). */
export type EnvValues = {
  [K in EnvName]: (typeof ENV_VARIABLES)[K] extends EnvVariable<infer T> & { fallback: infer F }
    ? [F] extends [undefined]
      ? T | undefined
      : T
    : never;
};
