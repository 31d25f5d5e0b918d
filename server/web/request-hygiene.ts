/**
 * Requests that no route can answer sensibly are refused with a 4xx before they reach one: TRACE/TRACK
 * (which would echo headers, cookies included), URLs that do not decode, and URLs carrying a NUL byte
 * (which PostgreSQL refuses in text). The last handler turns any error that escapes into a plain 500
 * without a stack trace or server path; the details go to the server log only.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { log } from '../../log/logger';

/** Pure: why a request target is unusable, or null. */
export function badRequestTarget(method: string, originalUrl: string): { status: number; message: string } | null {
  if (method === 'TRACE' || method === 'TRACK') return { status: 405, message: `${method} is not supported.` };
  let decoded: string;
  try {
    decoded = decodeURIComponent(originalUrl.replace(/\+/g, ' '));
  } catch {
    return { status: 400, message: 'The address holds a malformed percent-encoding (such as a lone "%").' };
  }
  if (decoded.includes('\u0000')) return { status: 400, message: 'The address holds a NUL character, which no field accepts.' };
  return null;
}

export function refuseBadRequestTargets(): RequestHandler {
  return (req, res, next) => {
    const bad = badRequestTarget(req.method, req.originalUrl);
    if (!bad) return next();
    if (bad.status === 405) res.set('allow', 'GET, HEAD, POST, PUT, DELETE, OPTIONS');
    res.status(bad.status).type('text/plain').send(bad.message);
  };
}

export function plainErrors(): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const status = typeof err?.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status === 500) log.error({ method: req.method, path: req.path, err }, 'request failed');
    if (res.headersSent) return void res.end();
    res.status(status).type('text/plain').send(status === 500 ? 'The server could not answer this request.' : 'The request could not be read.');
  };
}
