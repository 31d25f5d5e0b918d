import type { LoaderFunctionArgs } from '@remix-run/node';
import { getRunStatus } from '../../db/queries/runs';
import { loadRunView } from '../utils/run-view.server';
import { log } from '../../log/logger';

const STATUS_POLL_MS = 1000;

/**
 * Server-sent events for the live progress bar: `progress` from the queue's job progress events as
 * shards commit items, and `status` when the run changes state (from the database). Ends when the run ends.
 */
export async function loader({ context, params, request }: LoaderFunctionArgs) {
  const { db, queue } = context.services;
  const first = await loadRunView(db, params.id);
  const runId = first.id;
  const encoder = new TextEncoder();

  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      let lastStatus = '';
      const send = (event: string, payload: unknown) => {
        if (!closed) controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`));
      };
      const close = () => {
        if (closed) return;
        closed = true;
        unsubscribe();
        clearInterval(timer);
        controller.close();
      };
      const unsubscribe = queue.subscribeProgress(runId, (p) => send('progress', { done: p.done, total: p.total }));
      const checkStatus = async () => {
        const s = await getRunStatus(db, runId).catch((err) => void log.warn({ err, runId }, 'run events: status check failed; trying again'));
        if (!s || closed) return;
        if (s.status !== lastStatus) {
          lastStatus = s.status;
          send('status', s);
        }
        if (s.status === 'succeeded' || s.status === 'failed') close();
      };
      const timer = setInterval(checkStatus, STATUS_POLL_MS);
      request.signal.addEventListener('abort', close);
      send('progress', { done: first.doneItems, total: first.totalItems });
      void checkStatus();
    },
  });

  return new Response(stream, {
    headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' },
  });
}
