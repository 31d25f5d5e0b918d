import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Queue } from 'bullmq';
import type express from 'express';
import IORedis from 'ioredis';
import { QUEUE_NAMES } from '../workers/queue';

/** Where the dashboard is served: inside the maintainer console's path space. */
export const QUEUE_DASHBOARD_PATH = '/maintainer/queues';

/** Who may see the dashboard: the maintainer guard of the console (app/utils/maintainer-auth.server.ts). */
export type DashboardAccess = (req: express.Request) => Promise<'signed-in' | 'signed-out' | 'disabled'>;

/**
 * bull-board (docs/operations.md) over the fleet's BullMQ queues, behind the maintainer role: a signed-out page load
 * goes to sign in, anything else that is not a verified maintainer gets 403. Retry, clean and promote act on jobs,
 * so the guard comes before every route of it, pages and API alike.
 */
export function queueDashboard(opts: { redisUrl: string; prefix: string; access: DashboardAccess }) {
  const connection = new IORedis(opts.redisUrl, { maxRetriesPerRequest: null });
  connection.on('error', () => {});
  const queues = Object.values(QUEUE_NAMES).map((name) => new Queue(name, { connection, prefix: opts.prefix }));
  const adapter = new ExpressAdapter();
  adapter.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter: adapter, options: { uiConfig: { boardTitle: 'SpineBench queues' } } });

  const guard: express.RequestHandler = (req, res, next) => {
    opts
      .access(req)
      .then((access) => {
        if (access === 'signed-in') return next();
        res.set('cache-control', 'no-store');
        if (access === 'signed-out' && req.method === 'GET' && req.accepts('html') && !req.path.startsWith('/api/')) {
          return res.redirect(302, `/signin?next=${encodeURIComponent(req.originalUrl)}`);
        }
        res.status(403).type('text/plain').send(access === 'disabled' ? 'This account is not a platform maintainer.' : 'Maintainer sign-in required.');
      })
      .catch(next);
  };
  return {
    path: QUEUE_DASHBOARD_PATH,
    handlers: [guard, adapter.getRouter() as express.Router],
    async close() {
      await Promise.all(queues.map((q) => q.close()));
      connection.disconnect();
    },
  };
}

/** The Fetch request the maintainer guard reads (its session cookie), made from an Express one. */
export function fetchRequestOf(req: express.Request): Request {
  return new Request(new URL(req.originalUrl, 'http://platform.invalid'), { method: req.method === 'GET' || req.method === 'HEAD' ? req.method : 'GET', headers: { cookie: req.headers.cookie ?? '' } });
}
