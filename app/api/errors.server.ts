import { log } from '../../log/logger';

/**
 * The one error shape of /api/v1 (docs/decisions/251-api-error-shape.md): `{ error: { code, message, field? } }`
 * with the HTTP status. Handlers throw ApiError; `apiRoute` turns it (and anything unexpected) into JSON, so
 * no API answer is Remix's text "Unexpected Server Error".
 */
export type ApiErrorCode =
  | 'bad_request'
  | 'invalid_field'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'payload_too_large'
  | 'unprocessable'
  | 'rate_limited'
  | 'internal';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly field?: string,
    /** Extra facts a client can act on (an upload's offset, a bundle's problems). */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const CODE_BY_STATUS: Record<number, ApiErrorCode> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  422: 'unprocessable',
  429: 'rate_limited',
};

export function codeForStatus(status: number): ApiErrorCode {
  return CODE_BY_STATUS[status] ?? (status >= 500 ? 'internal' : 'bad_request');
}

export function apiErrorResponse(e: ApiError, headers: HeadersInit = {}): Response {
  const body = { error: { code: e.code, message: e.message, ...(e.field ? { field: e.field } : {}), ...(e.details ?? {}) } };
  return Response.json(body, { status: e.status, headers });
}

/** Converts what a handler threw into the API's JSON: ApiError as is, Remix refusals (Response) by status, the rest as 500. */
export async function toApiResponse(e: unknown): Promise<Response> {
  if (e instanceof ApiError) {
    return apiErrorResponse(e, e.status === 401 ? { 'www-authenticate': 'Bearer realm="spinebench"' } : {});
  }
  if (e instanceof Response) {
    if (e.headers.get('content-type')?.includes('application/json')) return e;
    const text = (await e.text().catch(() => '')).trim();
    return apiErrorResponse(new ApiError(e.status, codeForStatus(e.status), text || `Request refused (${e.status}).`));
  }
  log.error({ err: e }, 'API request failed unexpectedly');
  return apiErrorResponse(new ApiError(500, 'internal', 'The server failed to answer this request; it is logged. Try again later.'));
}

type Handler<A> = (args: A) => Promise<Response>;

/** Wraps a loader or action so every failure answers in the API's error shape. */
export function apiRoute<A>(handler: Handler<A>): Handler<A> {
  return async (args) => {
    try {
      return await handler(args);
    } catch (e) {
      return toApiResponse(e);
    }
  };
}

/** The answer for a method a route does not offer. */
export function methodNotAllowed(allowed: string[]): () => Promise<Response> {
  return async () =>
    apiErrorResponse(new ApiError(405, 'method_not_allowed', `Use ${allowed.join(' or ')} on this address.`), { allow: allowed.join(', ') });
}
