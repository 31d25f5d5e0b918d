import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for a team's model server: a real OpenAI-compatible Chat Completions server on loopback.
 * `reply` decides each answer from the request's `model` and user text: content (optionally delayed),
 * garbage, an HTTP error status, or a hang.
 */
export type FakeReply = { content: string; delayMs?: number } | { garbage: string } | { status: number } | { hangMs: number };

export interface FakeEndpoint {
  url: string;
  requests: Array<{ model: string; body: any; authorization?: string }>;
  /** The most requests that were open at the same time. */
  maxInFlight(): number;
  close(): Promise<void>;
}

export function userText(body: any): string {
  const user = body?.messages?.find((m: any) => m.role === 'user');
  if (typeof user?.content === 'string') return user.content;
  return (user?.content ?? []).map((p: any) => p.text ?? '').join('');
}

export async function startFakeEndpoint(reply: (model: string, text: string, body: any) => FakeReply): Promise<FakeEndpoint> {
  const requests: FakeEndpoint['requests'] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.once('close', () => inFlight--);
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const body = JSON.parse(raw || '{}');
      requests.push({ model: body.model, body, authorization: req.headers.authorization });
      const r = reply(body.model, userText(body), body);
      if ('hangMs' in r) {
        setTimeout(() => res.destroyed || res.end('{}'), r.hangMs);
        return;
      }
      if ('status' in r) {
        res.writeHead(r.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'unavailable' } }));
        return;
      }
      if ('garbage' in r) {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(r.garbage);
        return;
      }
      const send = () => {
      if (res.destroyed) return;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: 'chatcmpl-test',
          object: 'chat.completion',
          model: body.model,
          choices: [{ index: 0, message: { role: 'assistant', content: r.content }, finish_reason: 'stop' }],
        }),
      );
      };
      if (r.delayMs) setTimeout(send, r.delayMs);
      else send();
    });
  });
  server.on('connection', (s) => (sockets.add(s), s.on('close', () => sockets.delete(s))));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    maxInFlight: () => maxInFlight,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
