/**
 * HTTP client for team endpoints that cannot be turned against the platform:
 *  - every hop (first URL and each redirect) goes through the SSRF guard;
 *  - the socket connects to the addresses the guard vetted (pinned lookup), so a DNS answer
 *    that changes between check and use is never followed; the connected peer is checked again;
 *  - redirects are followed by hand (bounded), the bearer token is dropped when one leaves the origin;
 *  - the response body is capped (aborted when it grows past the limit);
 *  - the AbortSignal (or timeoutMs) ends the request at any stage.
 * Failures are typed EvaluationErrors: refused, unreachable, timeout, response_too_large,
 * http_status (too many redirects). Non-2xx answers are returned, not thrown: the caller decides.
 */
import { Agent, buildConnector, request } from 'undici';
import ipaddr from 'ipaddr.js';
import type { Readable } from 'node:stream';
import { EvaluationError, isEvaluationError } from '../errors';
import { toAllowList, type AllowList } from './allow-list';
import { createPinnedLookup } from './pinned-lookup';
import { checkEndpointUrl, type HostLookup } from './ssrf-guard';

export const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
export const DEFAULT_MAX_REDIRECTS = 3;
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

export interface SafeFetcherOptions {
  /** Operator allow-list (IPs, CIDRs, host names, `*.suffix`), applied to every hop. */
  allowList?: readonly string[] | AllowList;
  /** Host resolver; defaults to dns.lookup(all). Tests inject one. */
  lookup?: HostLookup;
  maxResponseBytes?: number;
  maxRedirects?: number;
  connectTimeoutMs?: number;
  /** Connection pools kept (one per origin + vetted address set). */
  maxPools?: number;
  /** Extra trusted CA certificates (PEM), e.g. an operator's private CA. Verification stays on. */
  ca?: string | Buffer | Array<string | Buffer>;
}

export interface SafeRequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  signal?: AbortSignal;
  /** Time limit for the whole request (all hops and the body); aborts like AbortSignal.timeout. */
  timeoutMs?: number;
  maxResponseBytes?: number;
  maxRedirects?: number;
}

export type SafeFetchInit = SafeRequestInit & Omit<SafeFetcherOptions, 'maxPools'>;

export interface SafeResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The URL that answered, after redirects. */
  url: string;
  redirects: number;
}

export interface SafeFetcher {
  fetch(url: string, init?: SafeRequestInit): Promise<SafeResponse>;
  /** Closes pooled connections (waits for requests in flight). */
  close(): Promise<void>;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Headers that must not follow a redirect to another origin. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);
const BODY_HEADERS = new Set(['content-type', 'content-length', 'content-encoding', 'transfer-encoding']);
/** TLS failures are configuration faults of the endpoint: retrying will not help. */
const PERMANENT_NETWORK_CODES = /^(ERR_TLS_|CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_|ERR_SSL_)/;

function canonicalIp(ip: string): string {
  try {
    return ipaddr.process(ip.replace(/^\[|\]$/g, '')).toString();
  } catch {
    return ip;
  }
}

/** An undici Agent whose sockets can only reach `addresses`. */
function createPinnedAgent(addresses: string[], connectTimeoutMs: number, ca: SafeFetcherOptions['ca']): Agent {
  const vetted = new Set(addresses.map(canonicalIp));
  // Host stays the name (so TLS checks the certificate against it); only the lookup is pinned.
  const base = buildConnector({ lookup: createPinnedLookup(addresses), timeout: connectTimeoutMs, ...(ca ? { ca } : {}) });
  const connect: buildConnector.connector = (options, callback) => {
    base(options, (err, socket) => {
      if (err || !socket) return callback(err ?? new Error('connect failed'), null);
      // Belt and braces: whatever resolved the name, the peer must be one of the vetted addresses.
      const peer = socket.remoteAddress ? canonicalIp(socket.remoteAddress) : '';
      if (!vetted.has(peer)) {
        socket.destroy();
        return callback(new EvaluationError('refused', `connection to ${options.hostname} reached an address that was not vetted`), null);
      }
      callback(null, socket);
    });
  };
  return new Agent({ connect });
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function withoutHeaders(headers: Record<string, string>, drop: Set<string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !drop.has(name.toLowerCase())));
}

/** A timeout error shaped like AbortSignal.timeout's, so both read the same downstream. */
function timeoutReason(ms: number): DOMException {
  return new DOMException(`request timed out after ${ms} ms`, 'TimeoutError');
}

/**
 * The caller's signal plus an optional per-request timeout. A cleared timer rather than
 * AbortSignal.timeout: that one cannot be cancelled, and a long run would keep thousands of
 * 120 s timers alive.
 */
function requestSignal(signal: AbortSignal | undefined, timeoutMs: number | undefined): { signal?: AbortSignal; done(): void } {
  if (timeoutMs === undefined) return { signal, done: () => undefined };
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(timeoutReason(timeoutMs)), timeoutMs);
  const onAbort = () => controller.abort(signal!.reason);
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    },
  };
}

/** Maps what went wrong to a typed error; a non-timeout abort (shutdown, cancel) is re-thrown as is. */
function toTypedError(error: unknown, host: string, signal: AbortSignal | undefined): unknown {
  if (isEvaluationError(error)) return error;
  if (signal?.aborted) {
    const reason = signal.reason as { name?: string } | undefined;
    if (reason?.name === 'TimeoutError') {
      return new EvaluationError('timeout', `endpoint ${host} did not answer in time`, { transient: true });
    }
    return signal.reason;
  }
  const code = String((error as { code?: string })?.code ?? '');
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return new EvaluationError('timeout', `endpoint ${host} timed out (${code})`, { transient: true });
  }
  return new EvaluationError('unreachable', `could not reach endpoint ${host}${code ? ` (${code})` : ''}`, {
    transient: !PERMANENT_NETWORK_CODES.test(code),
  });
}

/** Reads the body as UTF-8, destroying the stream as soon as it passes `limit` bytes. */
function readCapped(body: Readable, limit: number, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    body.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        body.destroy();
        reject(new EvaluationError('response_too_large', `endpoint ${host} answered with more than ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    body.once('end', () => resolve(chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8')));
    body.once('error', reject);
  });
}

export function createSafeFetcher(options: SafeFetcherOptions = {}): SafeFetcher {
  const allowList = toAllowList(options.allowList);
  const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const maxPools = options.maxPools ?? 32;
  const agents = new Map<string, Agent>();

  function agentFor(url: URL, addresses: string[]): Agent {
    const key = `${url.origin}|${[...addresses].sort().join(',')}`;
    let agent = agents.get(key);
    if (agent) {
      agents.delete(key); // re-insert: Map order doubles as least-recently-used order
    } else {
      agent = createPinnedAgent(addresses, connectTimeoutMs, options.ca);
      if (agents.size >= maxPools) {
        const [oldestKey, oldest] = agents.entries().next().value as [string, Agent];
        agents.delete(oldestKey);
        void oldest.close().catch(() => undefined);
      }
    }
    agents.set(key, agent);
    return agent;
  }

  async function fetchOnce(url: string, init: SafeRequestInit = {}): Promise<SafeResponse> {
    const { signal, done } = requestSignal(init.signal, init.timeoutMs);
    try {
      return await fetchFollowingRedirects(url, init, signal);
    } finally {
      done();
    }
  }

  async function fetchFollowingRedirects(url: string, init: SafeRequestInit, signal: AbortSignal | undefined): Promise<SafeResponse> {
    const maxBytes = init.maxResponseBytes ?? options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    const maxRedirects = init.maxRedirects ?? options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
    let method = (init.method ?? 'GET').toUpperCase();
    let headers = { ...(init.headers ?? {}) };
    let body = init.body;
    let current = url;

    for (let redirects = 0; ; redirects++) {
      if (signal?.aborted) throw toTypedError(signal.reason, 'endpoint', signal);
      const check = await checkEndpointUrl(current, { allowList, lookup: options.lookup });
      if (!check.ok) {
        throw check.code === 'refused'
          ? new EvaluationError('refused', check.reason)
          : new EvaluationError('unreachable', check.reason, { transient: true });
      }
      const target = check.url;
      const host = target.host;
      let status: number;
      let responseHeaders: Record<string, string>;
      let text: string;
      try {
        const response = await request(target, {
          method: method as 'GET',
          headers,
          body,
          signal,
          dispatcher: agentFor(target, check.addresses),
        });
        status = response.statusCode;
        responseHeaders = flattenHeaders(response.headers);
        const location = responseHeaders.location;
        if (REDIRECT_STATUSES.has(status) && location) {
          await response.body.dump();
          if (redirects >= maxRedirects) {
            throw new EvaluationError('http_status', `endpoint ${host} redirected more than ${maxRedirects} times`, { status });
          }
          let next: URL;
          try {
            next = new URL(location, target);
          } catch {
            throw new EvaluationError('malformed_response', `endpoint ${host} redirected to an invalid location`);
          }
          if (next.origin !== target.origin) headers = withoutHeaders(headers, CREDENTIAL_HEADERS);
          // Fetch-standard method rewrite: 303 (and 301/302 after POST) continue as GET without a body.
          if (status === 303 ? method !== 'HEAD' : (status === 301 || status === 302) && method === 'POST') {
            method = 'GET';
            body = undefined;
            headers = withoutHeaders(headers, BODY_HEADERS);
          }
          current = next.href;
          continue;
        }
        const declared = Number(responseHeaders['content-length']);
        if (Number.isFinite(declared) && declared > maxBytes) {
          response.body.destroy();
          throw new EvaluationError('response_too_large', `endpoint ${host} announced ${declared} bytes, more than ${maxBytes}`);
        }
        text = await readCapped(response.body, maxBytes, host);
      } catch (error) {
        throw toTypedError(error, host, signal);
      }
      return { status, headers: responseHeaders, body: text, url: target.href, redirects };
    }
  }

  return {
    fetch: fetchOnce,
    async close() {
      const open = [...agents.values()];
      agents.clear();
      await Promise.all(open.map((agent) => agent.close().catch(() => undefined)));
    },
  };
}

/** One request with its own short-lived connection pool. For many requests use createSafeFetcher. */
export async function safeFetch(url: string, init: SafeFetchInit = {}): Promise<SafeResponse> {
  const { allowList, lookup, connectTimeoutMs, maxResponseBytes, maxRedirects, ca, ...requestInit } = init;
  const fetcher = createSafeFetcher({ allowList, lookup, connectTimeoutMs, maxResponseBytes, maxRedirects, ca });
  try {
    return await fetcher.fetch(url, requestInit);
  } finally {
    await fetcher.close();
  }
}
