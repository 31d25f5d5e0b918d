import express from 'express';
import { httpRequestSeconds, routeGroup } from '../workers/metrics';
import { metricsAnswer } from '../workers/metrics-endpoint';
import { checkReadiness, type ReadinessDeps } from './readiness';

/** Times every web request into spinebench_http_request_duration_seconds (route groups keep labels few). */
export function httpMetricsMiddleware(): express.RequestHandler {
  return (req, res, next) => {
    const end = httpRequestSeconds.startTimer();
    res.once('finish', () => end({ method: req.method, route: routeGroup(req.path), status: `${Math.floor(res.statusCode / 100)}xx` }));
    next();
  };
}

/**
 * /healthz: the process is up and its event loop answers (liveness: restart it if not).
 * /readyz: it can serve (database, Redis, migrations; workers reported but not required): route traffic to it.
 * /metrics: Prometheus text format.
 */
export function operationsRoutes(deps: ReadinessDeps & { metricsToken?: string }): express.Router {
  const router = express.Router();
  const started = Date.now();
  router.get('/healthz', (_req, res) => {
    res.set('cache-control', 'no-store').json({ status: 'ok', uptimeSeconds: Math.round((Date.now() - started) / 1000) });
  });
  router.get('/readyz', (_req, res, next) => {
    checkReadiness(deps)
      .then(({ ready, checks }) => {
        const degraded = ready && checks.some((c) => !c.ok);
        res
          .status(ready ? 200 : 503)
          .set('cache-control', 'no-store')
          .json({ status: ready ? (degraded ? 'degraded' : 'ready') : 'not ready', checks });
      })
      .catch(next);
  });
  router.get('/metrics', (req, res, next) => {
    metricsAnswer(req.headers.authorization, deps.metricsToken)
      .then((a) => res.status(a.status).set('content-type', a.contentType).set('cache-control', 'no-store').send(a.body))
      .catch(next);
  });
  return router;
}
