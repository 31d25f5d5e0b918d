import express from 'express';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishCapturedPage } from '../../../app/utils/board-page-capture.server';
import { boardEtags } from '../../../server/web/board-etag';
import { createBoardPageCache, joinWithNonce, splitAtToken } from '../../../server/web/board-page-cache';
import { securityHeaders } from '../../../server/web/security-headers';

// The real middleware chain of server/index.ts (security headers, board ETags, the page cache) in front of a stand-in
// for Remix that renders the way app/entry.server.tsx does: the board shows the epoch's rows and who is signed in.
let epoch = 1;
let renders = 0;
let baseUrl: string;
let close: () => void;

beforeAll(async () => {
  const app = express();
  app.use(securityHeaders({ https: false }));
  app.use(boardEtags(async () => epoch));
  app.use(createBoardPageCache({ maxBytes: 1024 * 1024 }).middleware);
  app.get('*', (req, res) => {
    renders++;
    const capture = res.locals.boardPageCapture;
    if (req.path.startsWith('/api/')) {
      // As app/routes/api.leaderboard.$release.ts: bytes, stored as they are.
      const body = Buffer.from(JSON.stringify({ epoch, rows: [] }));
      capture?.store(body, [['Content-Type', 'application/json']]);
      res.setHeader('Content-Type', 'application/json');
      return res.send(body);
    }
    const nonce = capture ? capture.token : res.locals.cspNonce;
    const who = req.headers.cookie ? `signed in as ${req.headers.cookie}` : 'signed out';
    const html = `<html><body><p>rows of epoch ${epoch}, ${who}</p><script nonce="${nonce}">a()</script><script nonce="${nonce}">b()</script></body></html>`;
    const headers = new Headers({ 'Content-Type': 'text/html' });
    res.setHeader('Content-Type', 'text/html');
    res.send(capture ? finishCapturedPage(html, 200, headers, capture, res.locals.cspNonce) : html);
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
});
afterAll(() => close?.());

async function get(path: string, cookie?: string) {
  const res = await fetch(baseUrl + path, { headers: cookie ? { cookie } : {} });
  const body = await res.text();
  const csp = res.headers.get('content-security-policy') ?? '';
  return { status: res.status, body, cspNonce: /'nonce-([^']+)'/.exec(csp)?.[1], scriptNonces: [...body.matchAll(/<script nonce="([^"]*)"/g)].map((m) => m[1]) };
}

describe('board page cache', () => {
  it('renders a board once per epoch and URL for visitors without cookies, with a fresh nonce on every script of every answer', async () => {
    const before = renders;
    const a = await get('/leaderboard/r@1');
    const b = await get('/leaderboard/r@1');
    expect(renders - before).toBe(1);
    for (const r of [a, b]) {
      expect(r.status).toBe(200);
      expect(r.cspNonce).toMatch(/^[A-Za-z0-9+/=]{24}$/);
      expect(r.scriptNonces).toEqual([r.cspNonce, r.cspNonce]);
    }
    expect(a.cspNonce).not.toBe(b.cspNonce);
    expect(b.body.replaceAll(b.cspNonce!, 'N')).toBe(a.body.replaceAll(a.cspNonce!, 'N'));
    // Another URL (a sort, another view) is another page.
    await get('/leaderboard/r@1?sort=score');
    expect(renders - before).toBe(2);
  });

  it('never serves a page of an older epoch after a publish', async () => {
    expect((await get('/leaderboard/r@2')).body).toContain(`rows of epoch ${epoch}`);
    epoch++;
    const after = await get('/leaderboard/r@2');
    expect(after.body).toContain(`rows of epoch ${epoch}`);
    expect(after.body).not.toContain(`rows of epoch ${epoch - 1}`);
  });

  it('renders every request that carries a cookie, and never hands a signed-in page to anyone else', async () => {
    const before = renders;
    const alice = await get('/leaderboard/r@3', 'session=alice');
    const bob = await get('/leaderboard/r@3', 'session=bob');
    expect(alice.body).toContain('signed in as session=alice');
    expect(bob.body).toContain('signed in as session=bob');
    const anonymous = await get('/leaderboard/r@3');
    expect(anonymous.body).toContain('signed out');
    const aliceAgain = await get('/leaderboard/r@3', 'session=alice');
    expect(aliceAgain.body).toContain('signed in as session=alice');
    expect(renders - before).toBe(4);
  });

  it('keeps the board JSON as bytes per epoch', async () => {
    const before = renders;
    const a = await fetch(`${baseUrl}/api/leaderboard/r@5`);
    const b = await fetch(`${baseUrl}/api/leaderboard/r@5`);
    expect(b.headers.get('content-type')).toBe('application/json');
    expect(await b.json()).toEqual(await a.json());
    expect(renders - before).toBe(1);
    epoch++;
    expect(await (await fetch(`${baseUrl}/api/leaderboard/r@5`)).json()).toEqual({ epoch, rows: [] });
    expect(renders - before).toBe(2);
  });

  it('leaves other paths to the renderer', async () => {
    const before = renders;
    await get('/leaderboard/r@4.data');
    await get('/leaderboard/r@4.data');
    await get('/about');
    await get('/about');
    expect(renders - before).toBe(4);
  });
});

describe('the placeholder nonce', () => {
  it('splits a document at its placeholder and joins it with any nonce', () => {
    const parts = splitAtToken('<a n="T">x</a><b n="T"></b>', 'T');
    expect(joinWithNonce(parts, 'N1').toString()).toBe('<a n="N1">x</a><b n="N1"></b>');
    expect(joinWithNonce(parts, 'N2').toString()).toBe('<a n="N2">x</a><b n="N2"></b>');
  });

  it('stores only a whole public answer', () => {
    const stored: string[] = [];
    const capture = { token: 'T', store: (html: string) => stored.push(html) };
    expect(finishCapturedPage('<s n="T">', 500, new Headers(), capture, 'N')).toBe('<s n="N">');
    expect(finishCapturedPage('<s n="T">', 200, new Headers({ 'Set-Cookie': 'a=1' }), capture, 'N')).toBe('<s n="N">');
    expect(stored).toEqual([]);
    finishCapturedPage('<s n="T">', 200, new Headers(), capture, 'N');
    expect(stored).toEqual(['<s n="T">']);
  });
});
