/**
 * Web hygiene in one place, installed ahead of every route: `trust proxy`, request-target checks, body
 * limits, security headers and the cross-site check; `plainErrors` goes last. See docs/security.md.
 */
import type { Express } from 'express';
import { bodyLimits, type BodyLimitSettings } from './body-limits';
import { plainErrors, refuseBadRequestTargets } from './request-hygiene';
import { sameOriginOnly } from './same-origin';
import { securityHeaders } from './security-headers';

export interface WebHygieneSettings extends BodyLimitSettings {
  /** Express's `trust proxy` value (TRUST_PROXY): false, true, a hop count, or addresses/subnets. */
  trustProxy: boolean | number | string;
  /** PUBLIC_HTTPS: the platform is served over TLS (HSTS, upgrade-insecure-requests). */
  publicHttps: boolean;
}

export function installWebHygiene(app: Express, settings: WebHygieneSettings): void {
  app.disable('x-powered-by');
  app.set('trust proxy', settings.trustProxy);
  app.use(refuseBadRequestTargets());
  app.use(securityHeaders({ https: settings.publicHttps }));
  app.use(bodyLimits(settings));
  app.use(sameOriginOnly());
}

export { plainErrors };
