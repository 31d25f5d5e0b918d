/**
 * Rendered board pages for visitors without cookies, kept per board epoch + URL (docs/decisions/263-board-load.md).
 * A board page with 1,000 rows takes React about a second to render; between publishes it is the same document for
 * every visitor who sends no cookie (the page shows who is signed in, so any Cookie header skips the cache). The
 * document is rendered once with a placeholder nonce (app/entry.server.tsx) and stored split at that placeholder;
 * each answer joins the parts with its own fresh CSP nonce, so every response still carries a nonce of its own on
 * every inline script. A publish moves the epoch (migration 0013), which every request reads before this runs
 * (server/web/board-etag.ts): an older epoch's page is never served again and is dropped. The board's JSON API
 * (/api/leaderboard/<release>, ~24 MB with 1,000 rows) is kept the same way, as bytes without a nonce.
 */
import { randomBytes } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { BoardPageCapture } from '../../app/utils/board-page-capture.server';
import { cspNonceOf } from './security-headers';

/** Board pages (overview and views) and the board's JSON API; not the pages' `.data` requests or the exports. */
export const BOARD_PAGE_PATH = /^\/(?:leaderboard\/[^/]+(?:\/[^/]+)?|api\/leaderboard\/[^/]+)$/;


interface Entry {
  epoch: number;
  parts: Buffer[];
  headers: Array<[string, string]>;
  bytes: number;
}

/** A document split at its placeholder nonce, joined with another (pure). */
export function splitAtToken(html: string, token: string): Buffer[] {
  return html.split(token).map((p) => Buffer.from(p));
}

export function joinWithNonce(parts: Buffer[], nonce: string): Buffer {
  const n = Buffer.from(nonce);
  return Buffer.concat(parts.flatMap((p, i) => (i === 0 ? [p] : [n, p])));
}

/** Whether this request may be answered from, or fill, the shared cache. */
export function cacheablePageRequest(method: string, path: string, url: string, cookie: string | undefined): boolean {
  return method === 'GET' && BOARD_PAGE_PATH.test(path) && !path.endsWith('.data') && !cookie && !url.includes('_data=');
}

export function createBoardPageCache(opts: { maxBytes: number }) {
  const entries = new Map<string, Entry>();
  let bytes = 0;
  let newestEpoch = -Infinity;
  const drop = (key: string) => {
    const e = entries.get(key);
    if (!e) return;
    bytes -= e.bytes;
    entries.delete(key);
  };
  const store = (epoch: number, url: string, body: string | Uint8Array, token: string, headers: Array<[string, string]>) => {
    if (epoch < newestEpoch) return;
    if (epoch > newestEpoch) {
      // A publish happened: every page of the older epochs is stale for good.
      for (const [key, e] of entries) if (e.epoch < epoch) drop(key);
      newestEpoch = epoch;
    }
    // A document carries the placeholder nonce; bytes (the JSON API) carry none.
    const parts = typeof body === 'string' ? splitAtToken(body, token) : [Buffer.from(body.buffer, body.byteOffset, body.byteLength)];
    const size = parts.reduce((s, p) => s + p.length, 0);
    if (size > opts.maxBytes) return;
    const key = `${epoch}\n${url}`;
    drop(key);
    entries.set(key, { epoch, parts, headers, bytes: size });
    bytes += size;
    // Oldest out first (Map keeps insertion order).
    while (bytes > opts.maxBytes) drop(entries.keys().next().value!);
  };

  /** Runs after boardEtags (which read the epoch) and securityHeaders (which made this response's nonce). */
  const middleware: RequestHandler = (req, res, next) => {
    const epoch = res.locals.boardEpoch;
    if (typeof epoch !== 'number' || !cacheablePageRequest(req.method, req.path, req.originalUrl, req.headers.cookie)) return next();
    // The Host is in the key too: nothing on a board shows it today, but a page that did must not be shared across hosts.
    const url = `${req.headers.host ?? ''}${req.originalUrl}`;
    const hit = entries.get(`${epoch}\n${url}`);
    if (hit) {
      const body = hit.parts.length === 1 ? hit.parts[0] : joinWithNonce(hit.parts, cspNonceOf(res));
      for (const [k, v] of hit.headers) res.setHeader(k, v);
      res.setHeader('Content-Length', body.length);
      res.status(200).end(body);
      return;
    }
    const capture: BoardPageCapture = {
      // Hex, so no escaping anywhere in the document can change it; as long as a real nonce.
      token: randomBytes(12).toString('hex'),
      store: (body, headers) => store(epoch, url, body, capture.token, headers),
    };
    res.locals.boardPageCapture = capture;
    next();
  };
  return { middleware, size: () => entries.size };
}
