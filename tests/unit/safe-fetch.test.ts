/**
 * Real sockets, loopback only. Every address a test may connect to is 127.0.0.1 (allow-listed
 * where a test needs it) or 127.0.0.2 (a decoy that must never be reached). Names are resolved by
 * injected lookups that only ever answer loopback addresses, so nothing can leave this machine.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EvaluationError } from '../../evaluator/errors';
import { createPinnedLookup } from '../../evaluator/net/pinned-lookup';
import { createSafeFetcher, safeFetch } from '../../evaluator/net/safe-fetch';
import type { HostLookup } from '../../evaluator/net/ssrf-guard';

interface Hit {
  path: string;
  method: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

let port: number;
let main: http.Server;
let decoy: http.Server;
const mainHits: Hit[] = [];
const decoyHits: Hit[] = [];

function record(hits: Hit[], req: http.IncomingMessage): Promise<Hit> {
  return new Promise((resolve) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const hit = { path: req.url ?? '', method: req.method ?? '', headers: req.headers, body };
      hits.push(hit);
      resolve(hit);
    });
  });
}

async function handleMain(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  await record(mainHits, req);
  const url = new URL(req.url ?? '/', 'http://x');
  switch (url.pathname) {
    case '/ok':
      res.setHeader('content-type', 'application/json');
      return void res.end(JSON.stringify({ choices: [{ message: { content: 'B' } }] }));
    case '/redirect':
      res.statusCode = Number(url.searchParams.get('status') ?? 302);
      res.setHeader('location', url.searchParams.get('to') ?? '/ok');
      return void res.end();
    case '/loop':
      res.statusCode = 302;
      res.setHeader('location', '/loop');
      return void res.end();
    case '/big-chunked': {
      const size = Number(url.searchParams.get('bytes'));
      const chunk = Buffer.alloc(64 * 1024, 'x');
      for (let sent = 0; sent < size; sent += chunk.length) res.write(chunk);
      return void res.end();
    }
    case '/big-declared':
      res.setHeader('content-length', String(10 * 1024 * 1024));
      res.write('x'.repeat(1024));
      return; // never finishes: the client must not wait for the body
    case '/endless': {
      const chunk = Buffer.alloc(64 * 1024, 'y');
      const timer = setInterval(() => res.write(chunk), 1);
      res.on('close', () => clearInterval(timer));
      return;
    }
    case '/hang':
      return; // never answers
    default:
      res.statusCode = 404;
      res.end('no such path');
  }
}

function listen(server: http.Server, host: string, atPort = 0): Promise<number> {
  return new Promise((resolve) => server.listen(atPort, host, () => resolve((server.address() as AddressInfo).port)));
}

beforeAll(async () => {
  main = http.createServer((req, res) => void handleMain(req, res));
  port = await listen(main, '127.0.0.1');
  decoy = http.createServer(async (req, res) => {
    await record(decoyHits, req);
    res.end('decoy reached');
  });
  await listen(decoy, '127.0.0.2', port); // same port, other loopback address
});

afterAll(async () => {
  main.closeAllConnections();
  decoy.closeAllConnections();
  await Promise.all([new Promise((r) => main.close(r)), new Promise((r) => decoy.close(r))]);
});

beforeEach(() => {
  mainHits.length = 0;
  decoyHits.length = 0;
});

const allowList = ['127.0.0.1/32'];
const base = () => `http://127.0.0.1:${port}`;

/** Loopback-only resolver with a call log. */
function loopbackDns(answers: (name: string, call: number) => string[]): HostLookup & { calls: number } {
  const lookup = async (name: string) => {
    lookup.calls++;
    return answers(name, lookup.calls).map((address) => {
      if (!address.startsWith('127.')) throw new Error(`test resolver only answers loopback, not ${address}`);
      return { address, family: 4 as const };
    });
  };
  lookup.calls = 0;
  return lookup;
}

async function expectEvaluationError(promise: Promise<unknown>, code: string): Promise<EvaluationError> {
  const error = await promise.then(
    () => {
      throw new Error(`expected an EvaluationError '${code}', but the request succeeded`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EvaluationError);
  expect((error as EvaluationError).code).toBe(code);
  return error as EvaluationError;
}

describe('safeFetch basics', () => {
  it('reaches an allow-listed loopback endpoint and returns status, headers and body', async () => {
    const response = await safeFetch(`${base()}/ok`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer t0k3n' },
      body: '{"model":"m"}',
      allowList,
    });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/json');
    expect(JSON.parse(response.body)).toEqual({ choices: [{ message: { content: 'B' } }] });
    expect(response.redirects).toBe(0);
    expect(mainHits).toHaveLength(1);
    expect(mainHits[0]).toMatchObject({ method: 'POST', body: '{"model":"m"}' });
    expect(mainHits[0].headers.authorization).toBe('Bearer t0k3n');
  });

  it('returns non-2xx answers for the caller to judge', async () => {
    const response = await safeFetch(`${base()}/missing`, { allowList });
    expect(response.status).toBe(404);
    expect(response.body).toBe('no such path');
  });

  it('refuses loopback without the allow-list and never connects', async () => {
    const error = await expectEvaluationError(safeFetch(`${base()}/ok`), 'refused');
    expect(error.message).toMatch(/loopback/);
    expect(error.transient).toBe(false);
    expect(mainHits).toHaveLength(0);
  });

  it('types a closed port as unreachable and transient', async () => {
    const closed = http.createServer();
    const closedPort = await listen(closed, '127.0.0.1');
    await new Promise((r) => closed.close(r));
    const error = await expectEvaluationError(safeFetch(`http://127.0.0.1:${closedPort}/`, { allowList }), 'unreachable');
    expect(error.transient).toBe(true);
    expect(error.message).toMatch(/ECONNREFUSED/);
  });

  it('types an unresolvable host as unreachable', async () => {
    const lookup: HostLookup = async () => {
      throw Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' });
    };
    await expectEvaluationError(safeFetch('http://nowhere.test/', { allowList, lookup }), 'unreachable');
  });
});

describe('redirects', () => {
  const redirectTo = (to: string, status = 302) => `${base()}/redirect?status=${status}&to=${encodeURIComponent(to)}`;

  it.each([
    ['another loopback address', () => `http://127.0.0.2:${port}/ok`],
    ['its decimal form', () => `http://2130706434:${port}/ok`],
    ['its IPv6-mapped form', () => `http://[::ffff:127.0.0.2]:${port}/ok`],
    ['IPv6 loopback', () => `http://[::1]:${port}/ok`],
    ['localhost.', () => `http://localhost.:${port}/ok`],
    ['a name resolving to a non-allow-listed address', () => `http://decoy.test:${port}/ok`],
    ['a non-http scheme', () => 'file:///etc/passwd'],
  ])('a redirect to %s is refused after the allow-listed first hop', async (_label, target) => {
    const lookup = loopbackDns(() => ['127.0.0.2']);
    for (const status of [301, 302, 303, 307, 308]) {
      const error = await expectEvaluationError(safeFetch(redirectTo(target(), status), { allowList, lookup }), 'refused');
      expect(error.message).not.toContain('/ok'); // reasons name hosts, not paths
    }
    expect(mainHits.length).toBe(5);
    expect(decoyHits).toHaveLength(0);
  });

  it('follows allowed redirects, keeping the token on the same origin', async () => {
    const response = await safeFetch(redirectTo('/ok', 307), {
      method: 'POST',
      body: 'payload',
      headers: { authorization: 'Bearer same-origin' },
      allowList,
    });
    expect(response).toMatchObject({ status: 200, redirects: 1, url: `${base()}/ok` });
    expect(mainHits.map((h) => [h.method, h.body, h.headers.authorization])).toEqual([
      ['POST', 'payload', 'Bearer same-origin'],
      ['POST', 'payload', 'Bearer same-origin'],
    ]);
  });

  it('drops the token when a redirect leaves the origin, and turns POST into GET on 303', async () => {
    const lookup = loopbackDns(() => ['127.0.0.1']);
    const response = await safeFetch(redirectTo(`http://endpoint.test:${port}/ok`, 303), {
      method: 'POST',
      body: 'payload',
      headers: { authorization: 'Bearer secret', 'content-type': 'text/plain' },
      allowList,
      lookup,
    });
    expect(response.status).toBe(200);
    expect(mainHits[1]).toMatchObject({ method: 'GET', body: '' });
    expect(mainHits[1].headers.authorization).toBeUndefined();
    expect(mainHits[1].headers['content-type']).toBeUndefined();
  });

  it('stops after maxRedirects', async () => {
    const error = await expectEvaluationError(safeFetch(`${base()}/loop`, { allowList, maxRedirects: 2 }), 'http_status');
    expect(error.message).toMatch(/more than 2 times/);
    expect(mainHits).toHaveLength(3);
  });
});

describe('DNS rebinding', () => {
  it('connects to the address that was checked, not to a later DNS answer', async () => {
    // First answer: allow-listed 127.0.0.1. Any later answer: the decoy at 127.0.0.2.
    const lookup = loopbackDns((_name, call) => (call === 1 ? ['127.0.0.1'] : ['127.0.0.2']));
    const fetcher = createSafeFetcher({ allowList, lookup });
    try {
      const first = await fetcher.fetch(`http://rebind.test:${port}/ok`);
      expect(first.status).toBe(200);
      expect(lookup.calls).toBe(1); // the connection did not resolve the name again
      expect(mainHits).toHaveLength(1);
      expect(mainHits[0].headers.host).toBe(`rebind.test:${port}`);

      // The next request sees the new answer at check time and is refused, even though a
      // kept-alive socket to the old, vetted address is still open.
      await expectEvaluationError(fetcher.fetch(`http://rebind.test:${port}/ok`), 'refused');
      expect(decoyHits).toHaveLength(0);
    } finally {
      await fetcher.close();
    }
  });

  it('the pinned lookup answers only the vetted addresses, whatever the name', async () => {
    const lookup = createPinnedLookup(['93.184.215.14', '2606:4700::1111']);
    const ask = (options: object) =>
      new Promise<unknown>((resolve, reject) =>
        lookup('api.example.org', options, (err, address, family) => (err ? reject(err) : resolve({ address, family }))),
      );
    expect(await ask({ all: true })).toEqual({
      address: [
        { address: '93.184.215.14', family: 4 },
        { address: '2606:4700::1111', family: 6 },
      ],
      family: undefined,
    });
    expect(await ask({})).toEqual({ address: '93.184.215.14', family: 4 });
    expect(await ask({ family: 6 })).toEqual({ address: '2606:4700::1111', family: 6 });
    expect(() => createPinnedLookup(['localhost'])).toThrow(/not an IP address/);
  });
});

describe('response size limit', () => {
  it('aborts a body that grows past the limit', async () => {
    const error = await expectEvaluationError(
      safeFetch(`${base()}/big-chunked?bytes=${2 * 1024 * 1024}`, { allowList, maxResponseBytes: 1024 * 1024 }),
      'response_too_large',
    );
    expect(error.message).toMatch(/1048576 bytes/);
  });

  it('refuses an announced length over the limit without waiting for the body', async () => {
    await expectEvaluationError(safeFetch(`${base()}/big-declared`, { allowList, maxResponseBytes: 1024 * 1024 }), 'response_too_large');
  });

  it('stops an endless body', async () => {
    await expectEvaluationError(safeFetch(`${base()}/endless`, { allowList, maxResponseBytes: 256 * 1024 }), 'response_too_large');
  });

  it('accepts a body just under the limit', async () => {
    const response = await safeFetch(`${base()}/big-chunked?bytes=${512 * 1024}`, { allowList, maxResponseBytes: 512 * 1024 });
    expect(response.body.length).toBe(512 * 1024);
  });
});

describe('abort and timeout', () => {
  it('types a timeout as transient', async () => {
    const started = Date.now();
    const error = await expectEvaluationError(safeFetch(`${base()}/hang`, { allowList, timeoutMs: 200 }), 'timeout');
    expect(error.transient).toBe(true);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('treats AbortSignal.timeout from the caller the same way', async () => {
    await expectEvaluationError(safeFetch(`${base()}/hang`, { allowList, signal: AbortSignal.timeout(150) }), 'timeout');
  });

  it('re-throws a cancellation reason as is', async () => {
    const controller = new AbortController();
    const shutdown = new Error('worker shutting down');
    setTimeout(() => controller.abort(shutdown), 100);
    await expect(safeFetch(`${base()}/hang`, { allowList, signal: controller.signal })).rejects.toBe(shutdown);
  });

  it('does not start when the signal is already aborted', async () => {
    const shutdown = new Error('already stopped');
    await expect(safeFetch(`${base()}/ok`, { allowList, signal: AbortSignal.abort(shutdown) })).rejects.toBe(shutdown);
    expect(mainHits).toHaveLength(0);
  });
});

describe('connection reuse', () => {
  it('a fetcher reuses its pinned pool across requests', async () => {
    const connections = new Set<unknown>();
    const onConnection = (socket: unknown) => connections.add(socket);
    main.on('connection', onConnection);
    const fetcher = createSafeFetcher({ allowList });
    try {
      for (let i = 0; i < 10; i++) expect((await fetcher.fetch(`${base()}/ok`)).status).toBe(200);
    } finally {
      await fetcher.close();
      main.off('connection', onConnection);
    }
    // undici may open a second socket while the first one is finishing its first response;
    // without pooling there would be one per request.
    expect(connections.size).toBeLessThanOrEqual(2);
  });
});

describe('https through a pinned connection', () => {
  const fixture = (name: string) => readFileSync(new URL(`../fixtures/tls/${name}`, import.meta.url));
  const cert = fixture('endpoint-test.crt');
  let tlsServer: https.Server;
  let tlsPort: number;

  beforeAll(async () => {
    tlsServer = https.createServer({ cert, key: fixture('endpoint-test.key') }, (req, res) => {
      res.end(`tls ok for ${req.headers.host}`);
    });
    tlsPort = await listen(tlsServer as unknown as http.Server, '127.0.0.1');
  });
  afterAll(async () => {
    tlsServer.closeAllConnections();
    await new Promise((r) => tlsServer.close(r));
  });

  it('verifies the certificate against the host name, not the pinned address', async () => {
    const lookup = loopbackDns(() => ['127.0.0.1']);
    const response = await safeFetch(`https://endpoint.test:${tlsPort}/`, { allowList, lookup, ca: cert });
    expect(response).toMatchObject({ status: 200, body: `tls ok for endpoint.test:${tlsPort}` });
    expect(lookup.calls).toBe(1);
  });

  it('fails, permanently, when the certificate does not name the host', async () => {
    const lookup = loopbackDns(() => ['127.0.0.1']);
    const error = await expectEvaluationError(safeFetch(`https://other.test:${tlsPort}/`, { allowList, lookup, ca: cert }), 'unreachable');
    expect(error.message).toMatch(/ERR_TLS_CERT_ALTNAME_INVALID/);
    expect(error.transient).toBe(false);
  });

  it('does not trust a self-signed certificate without the CA', async () => {
    const lookup = loopbackDns(() => ['127.0.0.1']);
    const error = await expectEvaluationError(safeFetch(`https://endpoint.test:${tlsPort}/`, { allowList, lookup }), 'unreachable');
    expect(error.transient).toBe(false);
  });
});
