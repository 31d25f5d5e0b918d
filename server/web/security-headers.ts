/**
 * Security headers for every answer, through helmet: a Content Security Policy that allows only this
 * origin's scripts plus the inline scripts Remix renders with this response's nonce, no framing by other
 * sites, no MIME sniffing, and a referrer policy that keeps paths on this site.
 */
import { randomBytes } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import helmet from 'helmet';

/** The nonce of this response (app/entry.server.tsx puts it on Remix's inline scripts). */
export function cspNonceOf(res: Response): string {
  return res.locals.cspNonce as string;
}

export function securityHeaders(opts: { https: boolean }): RequestHandler[] {
  const nonce: RequestHandler = (_req, res, next) => {
    res.locals.cspNonce = randomBytes(16).toString('base64');
    next();
  };
  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", (_req, res) => `'nonce-${cspNonceOf(res as Response)}'`],
        // Charts set style attributes.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(opts.https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    // HSTS only where the platform is served over TLS (a proxy in front of it); never on plain loopback.
    strictTransportSecurity: opts.https ? { maxAge: 180 * 24 * 3600 } : false,
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    frameguard: { action: 'deny' },
    crossOriginEmbedderPolicy: false,
  });
  return [nonce, headers];
}
