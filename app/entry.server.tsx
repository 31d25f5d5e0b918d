/**
 * Remix's server entry for Node (its default), plus two things: every inline script carries this response's
 * Content Security Policy nonce (loadContext.cspNonce, set by server/web/security-headers.ts), and errors go to
 * the platform's log (log/logger.ts), with the request id.
 */
import { PassThrough } from 'node:stream';
import type { AppLoadContext, EntryContext, HandleErrorFunction } from '@remix-run/node';
import { createReadableStreamFromReadable } from '@remix-run/node';
import { RemixServer, isRouteErrorResponse } from '@remix-run/react';
import { isbot } from 'isbot';
import { renderToPipeableStream } from 'react-dom/server';
import { CspNonceContext } from './components/csp-nonce';
import { finishCapturedPage } from './utils/board-page-capture.server';
import { log } from '../log/logger';

const ABORT_DELAY = 5_000;

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const capture = loadContext.boardPageCapture;
  // A board page for the shared cache is rendered with a placeholder nonce, replaced by this response's below.
  const nonce = capture ? capture.token : loadContext.cspNonce;
  // Bots, SPA mode and cached board pages get the whole document at once; browsers get it streamed.
  const waitForAll = Boolean(capture) || isbot(request.headers.get('user-agent') ?? '') || remixContext.isSpaMode;
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const ready = () => {
      shellRendered = true;
      const body = new PassThrough();
      responseHeaders.set('Content-Type', 'text/html');
      if (capture) {
        const chunks: Buffer[] = [];
        body.on('data', (c: Buffer) => chunks.push(c));
        body.on('end', () => {
          const html = finishCapturedPage(Buffer.concat(chunks).toString('utf8'), responseStatusCode, responseHeaders, capture, loadContext.cspNonce ?? '');
          resolve(new Response(html, { headers: responseHeaders, status: responseStatusCode }));
        });
        body.on('error', reject);
      } else {
        resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }));
      }
      pipe(body);
    };
    const { pipe, abort } = renderToPipeableStream(
      <CspNonceContext.Provider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </CspNonceContext.Provider>,
      {
        nonce,
        ...(waitForAll ? { onAllReady: ready } : { onShellReady: ready }),
        onShellError: reject,
        onError(error: unknown) {
          responseStatusCode = 500;
          // Errors of the initial shell reject and are logged by Remix; later ones only here.
          if (shellRendered) log.error({ err: error, path: new URL(request.url).pathname }, 'rendering failed after the shell was sent');
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}

/**
 * Errors thrown by loaders and actions: Remix's default prints them with console.error, a 404 for a path no route
 * matches included. A 4xx is an answer, not a fault: only server errors reach the log.
 */
export const handleError: HandleErrorFunction = (error, { request }) => {
  // A client that went away aborts its request; that is not a server fault.
  if (request.signal.aborted) return;
  if (isRouteErrorResponse(error) && error.status < 500) return;
  log.error({ err: error, method: request.method, path: new URL(request.url).pathname }, 'loader or action failed');
};
