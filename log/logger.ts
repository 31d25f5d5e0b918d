import { AsyncLocalStorage } from 'node:async_hooks';
import pino from 'pino';
import { formatJson, formatPretty, LEVELS, type LogLevel, type LogRecord } from './format';
import { isFailedQuery, loggableMessage } from './safe-error';

/**
 * The platform's logger: pino (`log.info({ runId }, 'msg')`, `log.error(err, 'msg')`, `log.child({ role })`),
 * its records JSON lines in production and readable lines at a terminal (docs/decisions/005-structured-logs.md).
 *
 * Records also carry the bindings of the current log context (`withLogContext`: request id, run id, job id),
 * like pino's `mixin`. Never log item payloads, model outputs or hidden item ids: runs, jobs and counts only.
 */

export type LogFormat = 'json' | 'pretty';
export type LogBindings = Record<string, unknown>;

type LogMethod = {
  (msg: string): void;
  (obj: LogBindings | Error | unknown, msg?: string): void;
};

export interface Logger {
  fatal: LogMethod;
  error: LogMethod;
  warn: LogMethod;
  info: LogMethod;
  debug: LogMethod;
  trace: LogMethod;
  child(bindings: LogBindings): Logger;
}

interface LogState {
  level: LogLevel | 'silent';
  format: LogFormat;
  write: (line: string) => void;
  context: AsyncLocalStorage<LogBindings>;
}

// One state per process: the Remix server build bundles its own copy of this module, and it must share the
// level, format and request context that server/index.ts set up.
const STATE_KEY = Symbol.for('spinebench.log.state');
const holder = globalThis as typeof globalThis & { [STATE_KEY]?: LogState };
const state: LogState = (holder[STATE_KEY] ??= {
  level: 'info',
  format: process.stdout.isTTY ? 'pretty' : 'json',
  write: (line) => process.stdout.write(line),
  context: new AsyncLocalStorage<LogBindings>(),
});

/** Entry points call this once with the validated config (config/platform-config.ts). */
export function configureLogging(settings: { level?: LogLevel | 'silent'; format?: LogFormat; write?: (line: string) => void }): void {
  if (settings.level) state.level = settings.level;
  if (settings.format) state.format = settings.format;
  if (settings.write) state.write = settings.write;
}

/** LOG_FORMAT if set; otherwise readable at a terminal or with NODE_ENV=development, JSON elsewhere. */
export function chooseLogFormat(setting: LogFormat | undefined, nodeEnv: string, isTty: boolean): LogFormat {
  return setting ?? (nodeEnv === 'development' || isTty ? 'pretty' : 'json');
}

export function logFormat(): LogFormat {
  return state.format;
}

/** Runs `fn` with `bindings` added to every record logged inside it, across awaits. */
export function withLogContext<T>(bindings: LogBindings, fn: () => T): T {
  return state.context.run({ ...state.context.getStore(), ...bindings }, fn);
}

/** The current context's bindings (e.g. the request id, for an error answer). */
export function logContext(): LogBindings {
  return state.context.getStore() ?? {};
}

function serializeError(e: Error): LogBindings {
  // A failed query's message and stack quote its SQL parameters (hidden items, model answers): its cause only.
  const out: LogBindings = isFailedQuery(e)
    ? { type: e.name, message: loggableMessage(e), stack: e.stack?.split('\n').filter((l) => /^\s+at /.test(l)).join('\n') }
    : { type: e.name, message: e.message, stack: e.stack };
  const code = (e as { code?: unknown }).code;
  if (code !== undefined) out.code = code;
  if (e.cause !== undefined) out.cause = e.cause instanceof Error ? serializeError(e.cause) : String(e.cause);
  return out;
}

/**
 * pino writes each record here as one JSON line; this keeps the level and format switchable after modules
 * took their child loggers (pino copies a level into each child when it is made) and renders lines for people.
 */
function emit(line: string): void {
  if (state.level === 'silent') return;
  const record = JSON.parse(line) as LogRecord;
  if (record.level < LEVELS[state.level]) return;
  state.write(state.format === 'json' ? line : formatPretty(record));
}

const root = pino(
  {
    level: 'trace',
    base: undefined,
    // Like withLogContext's bindings (request id, run id, job id) on every record, across awaits.
    mixin: () => state.context.getStore() ?? {},
    serializers: { err: (e: unknown) => (e instanceof Error ? serializeError(e) : e) },
  },
  { write: emit },
);

/** The process's root logger; modules take a child with their component: `log.child({ component: 'janitor' })`. */
export const log: Logger = root as unknown as Logger;

/** Level and format from the validated config (LOG_LEVEL, LOG_FORMAT, NODE_ENV); entry points call it first. */
export function configureLoggingFrom(config: { logLevel: LogLevel | 'silent'; logFormat?: LogFormat; nodeEnv: string }): void {
  configureLogging({ level: config.logLevel, format: chooseLogFormat(config.logFormat, config.nodeEnv, Boolean(process.stdout.isTTY)) });
}
