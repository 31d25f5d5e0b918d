/**
 * Issue 16 against one running platform (embedded PGlite + in-process queue): each hostile request of
 * the probe is answered with a clear refusal, and the server process is still up after all of them.
 */
import { execFileSync } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { folderEntries } from '../support/archives';
import { teamMember, verifiedAccount } from '../support/accounts';
import { createApiToken } from '../support/api-tokens';
import { DEMO_RELEASE } from '../support/demo-oracle';
import { postSubmitForm } from '../support/platform-client';
import { startPlatform, type RunningProcess } from '../support/processes';
import { jsonBombTarGz } from './support/hostile-archives';

const FIXTURE = path.resolve('tests/fixtures/tiny-vlm');
let baseUrl = '';
let dataDir = '';
let sharedRoot = '';
let platform: RunningProcess;
/** A team API token (scope submit): uploads and shared-storage registrations belong to its team. */
let token = '';
let member: Awaited<ReturnType<typeof teamMember>>;
const ADMIN_EMAIL = `admin-${process.pid}@spine-lab.example.org`;
const url = (p: string) => new URL(p, baseUrl);

function alive(): boolean {
  return platform.child.exitCode === null && platform.child.signalCode === null;
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'sbh-security-'));
  sharedRoot = path.join(dataDir, 'shared');
  await mkdir(sharedRoot, { recursive: true });
  // What a killed intake leaves behind: an extracted bundle no model uses, and a half-received form upload.
  const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
  await mkdir(path.join(dataDir, 'models', 'crashed-intake', 'onnx'), { recursive: true });
  await writeFile(path.join(dataDir, 'models', 'crashed-intake', 'onnx', 'big.onnx_data'), Buffer.alloc(4096));
  await utimes(path.join(dataDir, 'models', 'crashed-intake'), twoHoursAgo, twoHoursAgo);
  await mkdir(path.join(dataDir, 'uploads'), { recursive: true });
  await writeFile(path.join(dataDir, 'uploads', 'crashed.upload'), Buffer.alloc(4096));
  await utimes(path.join(dataDir, 'uploads', 'crashed.upload'), twoHoursAgo, twoHoursAgo);
  await writeFile(path.join(dataDir, 'uploads', 'fresh.upload'), Buffer.alloc(16));
  const started = await startPlatform({
    extraEnv: { DATA_DIR: dataDir, ONNX_SHARED_ROOT: sharedRoot, SECRET_KEY: 'security-suite-secret-key-DO-NOT-LEAK', ADMIN_EMAILS: ADMIN_EMAIL },
  });
  baseUrl = started.baseUrl;
  platform = started.proc;
  member = await teamMember(started, 'Upload Lab');
  token = await createApiToken(baseUrl, member.account, member.teamId, 'security-suite', ['submit', 'read']);
});

const auth = () => ({ authorization: `Bearer ${token}` });

afterAll(async () => {
  if (platform && !alive()) console.error(`platform died (exit ${platform.child.exitCode ?? platform.child.signalCode}):\n${platform.output()}`);
  await platform?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function createUpload(totalBytes: number): Promise<string> {
  const res = await fetch(url('/api/v1/uploads'), { method: 'POST', body: JSON.stringify({ totalBytes }), headers: { 'content-type': 'application/json', ...auth() } });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

async function uploadStatus(id: string): Promise<{ offset: number }> {
  return (await fetch(url(`/api/v1/uploads/${id}`), { headers: auth() })).json() as Promise<{ offset: number }>;
}

async function putChunk(id: string, bytes: Buffer, start: number, total: number) {
  const res = await fetch(url(`/api/v1/uploads/${id}`), {
    method: 'PUT',
    body: new Uint8Array(bytes.subarray(start)),
    headers: { 'content-range': `bytes ${start}-${total - 1}/${total}`, 'content-type': 'application/octet-stream', ...auth() },
  });
  return { status: res.status, body: (await res.json()) as { offset: number; error?: { message: string } } };
}

/** Starts a chunk, sends `sent` bytes, and drops the connection after `delayMs`. */
function cutOffChunk(id: string, bytes: Buffer, start: number, sent: number, delayMs: number): Promise<void> {
  return new Promise((resolve) => {
    const req = httpRequest(url(`/api/v1/uploads/${id}?offset=${start}`), { method: 'PUT', headers: { 'content-length': String(bytes.length - start), ...auth() } });
    req.on('error', () => resolve());
    req.on('close', () => resolve());
    req.write(bytes.subarray(start, start + sent));
    setTimeout(() => req.destroy(), delayMs);
  });
}

describe('item 4: a cut-off upload chunk', () => {
  it('keeps the bytes that arrived, lets the client resume, and leaves the server up', async () => {
    const total = 64 * 1024;
    const bytes = Buffer.from(Array.from({ length: total }, (_, i) => i % 251));
    const id = await createUpload(total);
    // Cut at many moments, including while the server is still checking the upload (where it crashed).
    for (const delayMs of [0, 0, 1, 1, 2, 3, 5, 8, 13, 30]) {
      const { offset } = await uploadStatus(id);
      await cutOffChunk(id, bytes, offset, 1000, delayMs);
      expect(alive()).toBe(true);
    }
    const { offset } = await uploadStatus(id);
    expect(offset).toBeLessThanOrEqual(10_000);
    const finished = await putChunk(id, bytes, offset, total);
    expect(finished.body.offset).toBe(total);
    expect(await readFile(path.join(dataDir, 'uploads', `${id}.part`))).toEqual(bytes);
    expect(alive()).toBe(true);
  });

  it('refuses a chunk whose Content-Range total disagrees with the declared size', async () => {
    const id = await createUpload(100);
    const res = await fetch(url(`/api/v1/uploads/${id}`), { method: 'PUT', body: 'abcd', headers: { 'content-range': 'bytes 0-3/5000', ...auth() } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/Content-Range says the file holds 5000 bytes.*100 bytes/);
  });
});

describe('item 5: a small archive with a huge tokenizer.json', () => {
  it('swept what crashed intakes left at start (unused bundle folders, old *.upload files)', async () => {
    expect(await readdir(path.join(dataDir, 'models')).catch(() => [])).not.toContain('crashed-intake');
    const uploads = await readdir(path.join(dataDir, 'uploads'));
    expect(uploads).not.toContain('crashed.upload');
    expect(uploads).toContain('fresh.upload');
  });

  it('refuses the file by its size before parsing it, and the server stays up', async () => {
    const entries = await folderEntries(FIXTURE, 'tiny-vlm');
    // 140 M zeros (280 MB): more elements than one V8 array can hold; the archive is about 3 MB.
    const archive = await jsonBombTarGz(entries, 'tiny-vlm/tokenizer.json', 140_000_000, 3 * 1024 * 1024);
    expect(archive.length).toBeLessThan(4 * 1024 * 1024);
    const id = await createUpload(archive.length);
    expect((await putChunk(id, archive, 0, archive.length)).body.offset).toBe(archive.length);
    const res = await fetch(url(`/api/v1/uploads/${id}/complete`), {
      method: 'POST',
      body: JSON.stringify({ modelName: 'bomb', release: DEMO_RELEASE, split: 'dev' }),
      headers: { 'content-type': 'application/json', ...auth() },
    });
    const body = ((await res.json()) as { error: { problems?: { file: string; message: string }[] } }).error;
    expect(res.status).toBe(422);
    expect(body.problems).toContainEqual({ file: 'tokenizer.json', message: expect.stringMatching(/is 280000001 bytes; the platform reads at most \d+ bytes/) });
    expect(alive()).toBe(true);
    // Nothing of the refused bundle stays on disk.
    expect(await readdir(path.join(dataDir, 'models')).catch(() => [])).toEqual([]);
  });
});

describe('item 6: bundles registered on shared storage', () => {
  const register = async (bundlePath: string, modelName: string) => {
    const res = await fetch(url('/api/shared-bundles'), {
      method: 'POST',
      body: JSON.stringify({ path: bundlePath, modelName, release: DEMO_RELEASE, split: 'dev' }),
      headers: { 'content-type': 'application/json', ...auth() },
    });
    return { status: res.status, text: await res.text() };
  };

  it('refuses a symbolic link inside the bundle without reading or quoting its target', async () => {
    const dir = path.join(sharedRoot, 'linked');
    await cp(FIXTURE, dir, { recursive: true });
    await rm(path.join(dir, 'tokenizer.json'));
    await symlink(path.join(dataDir, 'secret-key'), path.join(dir, 'tokenizer.json'));
    const res = await register('linked', 'linked');
    expect(res.status).toBe(422);
    expect(res.text).toMatch(/tokenizer\.json.*symbolic link/);
    expect(res.text).not.toContain('security-suite');
    expect(res.text).not.toContain(dataDir);
  });

  it('refuses FIFOs at once (four of them do not freeze the server)', async () => {
    const names = ['fifo-a', 'fifo-b', 'fifo-c', 'fifo-d'];
    for (const name of names) {
      const dir = path.join(sharedRoot, name);
      await cp(FIXTURE, dir, { recursive: true });
      await rm(path.join(dir, 'tokenizer.json'));
      execFileSync('mkfifo', [path.join(dir, 'tokenizer.json')]);
    }
    const answers = await Promise.all(names.map((name) => register(name, name)));
    for (const res of answers) {
      expect(res.status).toBe(422);
      expect(res.text).toMatch(/tokenizer\.json.*not a regular file/);
    }
    expect((await fetch(url('/'))).status).toBe(200);
  });

  it('validates and uses a copy taken at registration, so a file swapped later is never loaded', async () => {
    const dir = path.join(sharedRoot, 'good');
    await cp(FIXTURE, dir, { recursive: true });
    const before = await readdir(path.join(dataDir, 'models')).catch(() => [] as string[]);
    const res = await register('good', 'good');
    expect(res.status, res.text).toBe(201);
    const snapshots = (await readdir(path.join(dataDir, 'models'))).filter((n) => !before.includes(n));
    expect(snapshots).toHaveLength(1);
    const original = await readFile(path.join(dir, 'tokenizer.json'));
    await writeFile(path.join(dir, 'tokenizer.json'), '{"swapped": true}');
    expect(await readFile(path.join(dataDir, 'models', snapshots[0], 'tokenizer.json'))).toEqual(original);
  });
});

/** A request as raw as a scanner sends it (fetch refuses some of these methods and bodies). */
function rawRequest(method: string, target: string, headers: Record<string, string> = {}, body?: string | Buffer): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url('/'), { method, path: target, headers });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

const submitFields = (endpointUrl: string) => ({ modelName: 'scan', endpointUrl, endpointModel: 'm', release: DEMO_RELEASE, split: 'dev' });

describe('request body limits on every route', () => {
  for (const [method, route] of [['POST', '/submit'], ['POST', '/signin'], ['POST', '/maintainer/login'], ['POST', '/api/v1/uploads'], ['POST', '/api/shared-bundles'], ['POST', '/api/v1/uploads/x/complete']] as const) {
    it(`${method} ${route}: a declared 450 MB body is refused at once (413), an undeclared one with 411`, async () => {
      const big = await rawRequest(method, route, { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(450 * 1024 * 1024) });
      expect(big.status).toBe(413);
      expect(big.text).toMatch(/larger than this address accepts/);
      const chunked = await rawRequest(method, route, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, '{}');
      expect(chunked.status).toBe(411);
    });
  }

  it('refuses a real 2 MB form post to /submit without keeping it, and the sender reads the message (no broken pipe)', async () => {
    // Several times: the refusal used to close the socket while fetch was still writing, which fetch
    // reported as EPIPE instead of the 413 in some runs.
    for (let attempt = 0; attempt < 5; attempt++) {
      const res = await fetch(url('/submit'), { method: 'POST', body: 'modelName=' + 'x'.repeat(2 * 1024 * 1024), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expect(res.status).toBe(413);
      expect(await res.text()).toMatch(/larger than this address accepts/);
    }
  });
});

describe('cross-site requests (CSRF), in one place', () => {
  it('refuses a state-changing request from another origin with 403, not 500', async () => {
    for (const route of ['/submit', '/signout', '/maintainer/logout', '/teams/new', '/maintainer/releases']) {
      const byOrigin = await fetch(url(route), { method: 'POST', body: 'a=b', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://evil.example' }, redirect: 'manual' });
      expect(byOrigin.status, route).toBe(403);
      expect(await byOrigin.text()).toMatch(/another origin/);
      const bySite = await fetch(url(route), { method: 'POST', body: 'a=b', headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'cross-site' }, redirect: 'manual' });
      expect(bySite.status, route).toBe(403);
    }
  });

  it('lets the same origin through', async () => {
    const res = await fetch(url('/api/v1/uploads'), { method: 'POST', body: JSON.stringify({ totalBytes: 10 }), headers: { 'content-type': 'application/json', origin: new URL(baseUrl).origin, 'sec-fetch-site': 'same-origin', ...auth() } });
    expect(res.status).toBe(201);
  });
});

describe('security headers', () => {
  it('sends a CSP whose nonce is on every inline script of the page, no framing, nosniff, a referrer policy', async () => {
    const res = await fetch(url('/'));
    const csp = res.headers.get('content-security-policy') ?? '';
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-eval');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    const html = await res.text();
    const inlineScripts = [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)];
    expect(inlineScripts.length).toBeGreaterThan(0);
    for (const [, attrs] of inlineScripts) expect(attrs).toContain(`nonce="${nonce}"`);
    // A fresh nonce per response.
    expect((await fetch(url('/'))).headers.get('content-security-policy')).not.toContain(nonce!);
  });
});

describe('scanner requests answered with 4xx, never 500 or a stack trace', () => {
  it('TRACE is refused', async () => {
    const res = await rawRequest('TRACE', '/');
    expect(res.status).toBe(405);
    expect(res.text).not.toMatch(/at .*\.js|node_modules|\/work\//);
  });

  it('a malformed percent-encoding and a NUL byte in the query are 400', async () => {
    const pct = await rawRequest('GET', '/%');
    expect(pct.status).toBe(400);
    expect(pct.text).not.toMatch(/URIError|node_modules|at /);
    const nul = await fetch(url('/submit?team=%00'));
    expect(nul.status).toBe(400);
  });

  it('endpoint URLs without a scheme, with %00 or with a zone id are field errors', async () => {
    for (const endpointUrl of ['example.org/v1', 'http://a%00b.example/v1', 'http://[::1%25lo]/v1', 'http://exa\u0000mple.org/v1']) {
      const res = await postSubmitForm(baseUrl, member, submitFields(endpointUrl));
      expect(res.status, endpointUrl).toBe(400);
      expect(res.text, endpointUrl).toMatch(/Endpoint URL must be a full URL|control characters/);
    }
  });

  it('run ids beyond the integer range are 404 with a real message, on pages and resource routes', async () => {
    expect((await fetch(url('/runs/99999999999999999999'))).status).toBe(404);
    for (const route of ['/api/runs/99999999999999999999', '/api/runs/2147483648', '/runs/99999999999999999999/events']) {
      const res = await fetch(url(route));
      expect(res.status, route).toBe(404);
      expect(await res.text(), route).toContain('No such run.');
    }
  });

  it('a maintainer download when signed out is 403 with the reason, not "Unexpected Server Error"', async () => {
    const res = await fetch(url(`/maintainer/releases/${DEMO_RELEASE}/export`));
    expect(res.status).toBe(403);
    expect(await res.text()).toMatch(/Maintainer sign-in required/);
  });

  it('a malformed Content-Disposition in a maintainer upload is 400', async () => {
    const admin = await verifiedAccount({ baseUrl, proc: platform }, ADMIN_EMAIL);
    const body = '--XX\r\nContent-Disposition: form-data; name\r\n\r\nx\r\n--XX--\r\n';
    const res = await fetch(url('/maintainer/releases'), {
      method: 'POST',
      body,
      headers: { 'content-type': 'multipart/form-data; boundary=XX', cookie: admin.cookie, origin: new URL(baseUrl).origin },
    });
    expect(res.status).toBe(400);
  });
});

describe('sign-in redirects', () => {
  it('never sends anyone off-site through ?next=', async () => {
    for (const next of ['/%09/evil.example', '//evil.example', '/\\evil.example', 'https://evil.example']) {
      const html = await (await fetch(url(`/signin?next=${encodeURIComponent(next).replace('%25', '%')}`))).text();
      const value = /name="next" value="([^"]*)"/.exec(html)?.[1];
      expect(value, next).toBe('/account');
    }
  });
});

describe('the server after all of the above', () => {
  it('is still up', async () => {
    expect(alive()).toBe(true);
    expect((await fetch(url('/'))).status).toBe(200);
  });
});
