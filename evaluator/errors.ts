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

