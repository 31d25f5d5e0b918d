/** pino's numeric levels, so JSON records read the same as pino's. */
export const LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 } as const;
export type LogLevel = keyof typeof LEVELS;

export interface LogRecord {
  level: number;
  time: number;
  msg: string;
  [key: string]: unknown;
}

const NAMES = Object.fromEntries(Object.entries(LEVELS).map(([name, n]) => [n, name.toUpperCase()])) as Record<number, string>;

/** One JSON line; values JSON cannot hold (bigint, cycles) are written as text rather than lost. */
export function formatJson(record: LogRecord): string {
  const seen = new WeakSet<object>();
  return `${JSON.stringify(record, (_key, value: unknown) => {
    if (typeof value === 'bigint') return value.toString();
    if (value && typeof value === 'object') {
      if (seen.has(value)) return '[circular]';
      seen.add(value);
    }
    return value;
  })}\n`;
}

function showValue(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value) ?? String(value);
}

/** For people at a terminal: `12:03:04.567 WARN  message key=value …`, an error's stack underneath. */
export function formatPretty(record: LogRecord): string {
  const { level, time, msg, err, ...rest } = record;
  const clock = new Date(time).toISOString().slice(11, 23);
  const fields = Object.entries(rest).map(([k, v]) => `${k}=${showValue(v)}`);
  const error = err as { message?: string; stack?: string } | undefined;
  const head = [clock, (NAMES[level] ?? String(level)).padEnd(5), msg, ...fields].filter(Boolean).join(' ');
  const tail = error ? `\n    ${(error.stack ?? error.message ?? '').split('\n').join('\n    ')}` : '';
  return `${head}${error && !error.stack ? ` err=${showValue(error.message)}` : tail}\n`;
}
