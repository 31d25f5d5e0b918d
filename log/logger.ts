import { AsyncLocalStorage } from 'node:async_hooks';
import { formatJson, formatPretty, LEVELS, type LogLevel, type LogRecord } from './format';
import { isFailedQuery, loggableMessage } from './safe-error';

/**
 * The platform's logger: pino's calling convention (`log.info({ runId }, 'msg')`, `log.error(err, 'msg')`,
 * `log.child({ role })`) and record shape (numeric `level`, `time`, `msg`, `err` with type/message/stack), so it
 * can be swapped for pino without touching the callers (docs/decisions/005-structured-logs.md).
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

function toFields(obj: unknown): LogBindings {
  if (obj instanceof Error) return { err: serializeError(obj) };
  if (obj === null || typeof obj !== 'object') return { value: obj };
  const fields = { ...(obj as LogBindings) };
  if (fields.err instanceof Error) fields.err = serializeError(fields.err);
  else if (fields.err !== undefined && typeof fields.err !== 'object') fields.err = { message: String(fields.err) };
  return fields;
}

function createLogger(bindings: LogBindings): Logger {
  const method = (level: LogLevel): LogMethod =>
    ((first: unknown, msg?: string) => {
      if (state.level === 'silent' || LEVELS[level] < LEVELS[state.level]) return;
      const fields = typeof first === 'string' && msg === undefined ? {} : toFields(first);
      const record: LogRecord = {
        level: LEVELS[level],
        time: Date.now(),
        ...bindings,
        ...state.context.getStore(),
        ...fields,
        msg: typeof first === 'string' && msg === undefined ? first : (msg ?? ''),
      };
      state.write(state.format === 'json' ? formatJson(record) : formatPretty(record));
    }) as LogMethod;
  return {
    fatal: method('fatal'),
    error: method('error'),
    warn: method('warn'),
    info: method('info'),
    debug: method('debug'),
    trace: method('trace'),
    child: (more) => createLogger({ ...bindings, ...more }),
  };
}

/** The process's root logger; modules take a child with their component: `log.child({ component: 'janitor' })`. */
export const log: Logger = createLogger({});

/** Level and format from the validated config (LOG_LEVEL, LOG_FORMAT, NODE_ENV); entry points call it first. */
export function configureLoggingFrom(config: { logLevel: LogLevel | 'silent'; logFormat?: LogFormat; nodeEnv: string }): void {
  configureLogging({ level: config.logLevel, format: chooseLogFormat(config.logFormat, config.nodeEnv, Boolean(process.stdout.isTTY)) });
}
