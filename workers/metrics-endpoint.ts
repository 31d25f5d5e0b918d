import { timingSafeEqual } from 'node:crypto';
import { metricsRegistry } from './metrics';

/**
 * The /metrics answer of any process (web or worker). With METRICS_TOKEN set only a request bearing it gets
 * the numbers; they hold no secrets or item content, but operators may not want them public.
 */
export async function metricsAnswer(authorization: string | undefined, token: string | undefined) {
  if (token) {
    const given = Buffer.from(authorization ?? '');
    const expected = Buffer.from(`Bearer ${token}`);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return { status: 401, contentType: 'text/plain; charset=utf-8', body: 'This /metrics needs Authorization: Bearer <METRICS_TOKEN>.\n' };
    }
  }
  return { status: 200, contentType: metricsRegistry.contentType, body: await metricsRegistry.metrics() };
}
