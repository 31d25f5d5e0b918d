/**
 * Typed evaluation errors. Messages must be safe to show anywhere: they never quote hidden items.
 * `platformFault` marks failures that are the platform's, not the team's (they refund quota).
 */
export const ERROR_CODES = [
  'unreachable',
  'timeout',
  'http_status',
  'malformed_response',
  'refused',
  'response_too_large',
  'model_crashed',
  'resource_limit',
  'invalid_artifact',
  'time_budget',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class EvaluationError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly options: { transient?: boolean; platformFault?: boolean; status?: number } = {},
  ) {
    super(message);
    this.name = 'EvaluationError';
  }
  get transient(): boolean {
    return this.options.transient ?? false;
  }
}

export function isEvaluationError(e: unknown): e is EvaluationError {
  return e instanceof EvaluationError;
}

/**
 * An error's message fit for a log line: a failed database query (drizzle's "Failed query: … params: …") is
 * reported by its cause alone, since its SQL parameters can hold hidden items and model answers.
 */
export function loggableMessage(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  if (e.message.startsWith('Failed query:')) {
    const cause = e.cause as { code?: string; message?: string } | undefined;
    return `database query failed${cause?.code ? ` (${cause.code})` : ''}: ${cause?.message ?? 'no cause given'}`;
  }
  return e.message;
}
