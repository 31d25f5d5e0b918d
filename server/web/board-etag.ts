/**
 * Boards change only when the board epoch moves (a run published or re-scored, moderation, a withdrawal, a rename:
 * migration 0013). Their pages, `.data` requests, exports and JSON API carry an ETag built from the epoch, the URL
 * and the client's cookies (the page shows who is signed in), and an If-None-Match that matches is answered 304
 * before Remix renders anything (docs/decisions/262-board-etags.md).
 */
import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';

/** Paths whose answers are a function of the board epoch, the URL and the cookies alone. */
export const BOARD_PATH = /^\/(?:leaderboard\/[^/]+(?:\/[^/]+)?|leaderboard\/[^/]+\/export\/[^/]+|api\/leaderboard\/[^/]+)$/;

/** The ETag of one board answer (pure). `build` changes with each server start, so a deploy never matches. */
export function boardEtag(epoch: number, build: string, url: string, cookie: string | undefined): string {
  const h = createHash('sha1').update(`${url}\n${cookie ?? ''}`).digest('base64url').slice(0, 16);
  return `W/"b${epoch}-${build}-${h}"`;
}

/** Whether an If-None-Match header names `etag` (weak comparison, lists and `*`). */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const bare = (t: string) => t.trim().replace(/^W\//, '');
  return header.split(',').some((t) => t.trim() === '*' || bare(t) === bare(etag));
}

export function boardEtags(readEpoch: () => Promise<number>): RequestHandler {
  const build = Date.now().toString(36);
  return (req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !BOARD_PATH.test(req.path)) return next();
    readEpoch()
      .then((epoch) => {
        const etag = boardEtag(epoch, build, req.originalUrl, req.headers.cookie);
        res.locals.boardEpoch = epoch;
        res.setHeader('ETag', etag);
        // Revalidate every time (cheap: a 304), per user (the page shows who is signed in).
        res.setHeader('Cache-Control', 'private, no-cache');
        res.setHeader('Vary', 'Cookie');
        if (!matchesIfNoneMatch(req.headers['if-none-match'], etag)) return next();
        // A 304's headers replace the cached ones: a fresh CSP nonce would block the cached page's scripts.
        res.removeHeader('Content-Security-Policy');
        res.status(304).end();
      })
      .catch(next);
  };
}
