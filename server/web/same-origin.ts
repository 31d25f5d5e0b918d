/**
 * The one cross-site request check (CSRF) for every state-changing request, forms and APIs alike. A
 * browser marks each request with Sec-Fetch-Site (current browsers) or Origin (all browsers on POST); a
 * request a browser sends from another site is refused with 403 before any route runs. A request with
 * neither header does not come from a browser page (scripts, curl, API clients): nothing to forge, and
 * those clients authenticate themselves.
 */
import type { Request, RequestHandler } from 'express';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export type OriginVerdict = { ok: true } | { ok: false; reason: string };

/** Pure: whether a state-changing request may proceed, from its headers and the origin it was sent to. */
export function judgeOrigin(method: string, headers: { secFetchSite?: string; origin?: string }, ownOrigin: string): OriginVerdict {
  if (SAFE_METHODS.has(method.toUpperCase())) return { ok: true };
  const site = headers.secFetchSite?.toLowerCase();
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    return { ok: false, reason: `this request came from another site (Sec-Fetch-Site: ${site})` };
  }
  if (headers.origin !== undefined && headers.origin !== ownOrigin) {
    return { ok: false, reason: headers.origin === 'null' ? 'this request came from a page without an origin' : 'this request came from another origin' };
  }
  return { ok: true };
}

/** The origin the client addressed, as Express sees it (honouring `trust proxy` for scheme and host). */
export function ownOrigin(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? ''}`;
}

export function sameOriginOnly(): RequestHandler {
  return (req, res, next) => {
    const verdict = judgeOrigin(req.method, { secFetchSite: req.get('sec-fetch-site'), origin: req.get('origin') }, ownOrigin(req));
    if (verdict.ok) return next();
    res.status(403).type('text/plain').send(`Refused: ${verdict.reason}. Forms and API calls of this platform are accepted from its own pages, or from scripts that send no Origin.`);
  };
}
