import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { withLogContext } from '../../log/logger';

/** A proxy's X-Request-Id is kept when it looks like an id; anything else could forge or break log lines. */
export function acceptableRequestId(value: string | undefined): string | undefined {
  return value && /^[A-Za-z0-9._:-]{1,128}$/.test(value) ? value : undefined;
}

/**
 * Gives every request an id (the proxy's X-Request-Id, or a new one), answers it in X-Request-Id, and puts it
 * on every log record written while the request is handled (log/logger.ts's context).
 */
export function requestIds(): RequestHandler {
  return (req, res, next) => {
    const requestId = acceptableRequestId(req.get('x-request-id')) ?? randomUUID();
    res.set('x-request-id', requestId);
    withLogContext({ requestId }, next);
  };
}
