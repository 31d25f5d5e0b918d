/**
 * Request body limits for every route, decided in one place before any route reads a byte. Routes that
 * stream an archive to disk (and count its bytes as they go) get their archive limit; every other route
 * gets the small limit for forms and JSON. A declared Content-Length over the limit is refused at once
 * (413); a body without a declared length is refused (411) on small-limit routes, whose clients (browsers,
 * fetch, curl) always declare it, so no route ever buffers an unbounded body.
 */
import type { RequestHandler } from 'express';

export interface BodyLimitSettings {
  /** Forms and JSON (REQUEST_BODY_MAX_BYTES). */
  requestBodyMaxBytes: number;
  onnxUploadMaxBytes: number;
  releaseUploadMaxBytes: number;
}

/**
 * A body this small that is over its limit is read and thrown away before the 413 goes out: closing the
 * socket while a browser or fetch still writes makes the client report a broken pipe instead of the message.
 * Larger ones are refused at once and the connection closed, so nobody can make the server read 450 MB.
 */
const DRAIN_BEFORE_REFUSING_MAX_BYTES = 16 * 1024 * 1024;

/** Room for a multipart form's text fields and part headers around its file. */
const FORM_OVERHEAD_BYTES = 1024 * 1024;

export interface BodyLimit {
  maxBytes: number;
  /** The route counts bytes while it streams them, so a body of undeclared length is fine. */
  streamed: boolean;
}

/** The path a route answers, whether requested as a page or by Remix's single fetch (`/x.data`, `/_root.data`). */
export function routePath(pathname: string): string {
  if (pathname === '/_root.data') return '/';
  return pathname.endsWith('.data') ? pathname.slice(0, -'.data'.length) : pathname;
}

/** Pure: the body limit for a request. */
export function bodyLimitFor(method: string, pathname: string, settings: BodyLimitSettings): BodyLimit {
  const route = routePath(pathname);
  if (method === 'PUT' && /^\/api\/v1\/uploads\/[^/]+$/.test(route)) return { maxBytes: settings.onnxUploadMaxBytes, streamed: true };
  if (method === 'POST' && route === '/submit/onnx') return { maxBytes: settings.onnxUploadMaxBytes + FORM_OVERHEAD_BYTES, streamed: true };
  if (method === 'POST' && route === '/maintainer/releases') return { maxBytes: settings.releaseUploadMaxBytes + FORM_OVERHEAD_BYTES, streamed: true };
  return { maxBytes: settings.requestBodyMaxBytes, streamed: false };
}

export function bodyLimits(settings: BodyLimitSettings): RequestHandler {
  return (req, res, next) => {
    const declared = req.headers['content-length'];
    const chunked = req.headers['transfer-encoding'] !== undefined;
    if (declared === undefined && !chunked) return next();
    const limit = bodyLimitFor(req.method, req.path, settings);
    if (declared !== undefined && !chunked) {
      const bytes = Number(declared);
      // Streamed archive routes count bytes themselves and answer with their own message once the body is
      // read; refusing here would close the socket while the client still writes (EPIPE, no message shown).
      if (bytes > limit.maxBytes && !limit.streamed) {
        const refuse = () => res.status(413).type('text/plain').send(`The request body (${bytes} bytes) is larger than this address accepts (${limit.maxBytes} bytes).`);
        if (bytes > DRAIN_BEFORE_REFUSING_MAX_BYTES) {
          res.set('connection', 'close');
          refuse();
          return;
        }
        // Discarded chunk by chunk as they arrive (never held); a client that goes away just ends the request.
        req.once('end', refuse);
        req.once('error', () => undefined);
        req.resume();
        return;
      }
      return next();
    }
    if (!limit.streamed) {
      res.set('connection', 'close').status(411).type('text/plain').send('Send the body with a Content-Length header (at most ' + limit.maxBytes + ' bytes here).');
      return;
    }
    next();
  };
}
