import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { listAudit } from '../../db/queries/audit';
import { countRunsByStatus } from '../../db/queries/run-counts';
import { log } from '../../log/logger';
import { ConsoleNav } from '../components/console-nav';
import { requireMaintainer } from '../utils/maintainer-auth.server';

export const meta: MetaFunction = () => [{ title: 'Maintainer console · SpineBench Hub' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireMaintainer(request, context.services);
  const { db, queue } = context.services;
  const [runs, recent, depth] = await Promise.all([countRunsByStatus(db), listAudit(db, {}, { limit: 10 }), queue.depth().catch((err) => {
    // The console still shows runs and the audit trail while the queue is unreachable.
    log.warn({ err }, 'maintainer console: queue depth unavailable');
    return [];
  })]);
  return {
    runs,
    queueKind: queue.kind,
    waiting: depth.filter((d) => d.state === 'waiting' || d.state === 'prioritized').reduce((n, d) => n + d.count, 0),
    recent: recent.map((e) => ({ id: e.id, at: e.at.toISOString(), actor: e.actor, action: e.action, subject: e.subject })),
  };
}

export default function ConsoleOverview() {
  const { runs, queueKind, waiting, recent } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Maintainer console</h1>
      <ConsoleNav />
      <h2>Runs</h2>
      <p>
        {runs.queued} queued, {runs.running} running, {runs.succeeded} succeeded, {runs.failed} failed. Queue engine: {queueKind}
        {queueKind === 'bullmq' ? `, ${waiting} jobs waiting` : ''}. <Link to="/queue">Public queue</Link>
        {queueKind === 'bullmq' ? <> · <a href="/maintainer/queues">Queue dashboard (bull-board)</a></> : null}
      </p>
      <h2>Latest actions</h2>
      {recent.length === 0 ? <p>Nothing recorded yet.</p> : (
        <ul>
          {recent.map((e) => (
            <li key={e.id}>
              <time dateTime={e.at}>{e.at.replace('T', ' ').slice(0, 19)}</time> {e.actor} <code>{e.action}</code> {e.subject}
            </li>
          ))}
        </ul>
      )}
      <p><Link to="/maintainer/audit">The whole audit log</Link></p>
    </>
  );
}
