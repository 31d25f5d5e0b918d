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
import { DEMO_RELEASE } from '../support/demo-oracle';
import { startPlatform, type RunningProcess } from '../support/processes';
import { jsonBombTarGz } from './support/hostile-archives';

const FIXTURE = path.resolve('tests/fixtures/tiny-vlm');
let baseUrl = '';
let dataDir = '';
let sharedRoot = '';
let platform: RunningProcess;
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
    extraEnv: { DATA_DIR: dataDir, ONNX_SHARED_ROOT: sharedRoot, SECRET_KEY: 'security-suite-secret-key-DO-NOT-LEAK', MAINTAINER_TOKEN: 'security-suite-maintainer-token' },
  });
  baseUrl = started.baseUrl;
  platform = started.proc;
});

afterAll(async () => {
  if (platform && !alive()) console.error(`platform died (exit ${platform.child.exitCode ?? platform.child.signalCode}):\n${platform.output()}`);
  await platform?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function createUpload(totalBytes: number): Promise<string> {
  const res = await fetch(url('/api/uploads'), { method: 'POST', body: JSON.stringify({ totalBytes }), headers: { 'content-type': 'application/json' } });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

async function uploadStatus(id: string): Promise<{ offset: number }> {
  return (await fetch(url(`/api/uploads/${id}`))).json() as Promise<{ offset: number }>;
}

async function putChunk(id: string, bytes: Buffer, start: number, total: number) {
  const res = await fetch(url(`/api/uploads/${id}`), {
    method: 'PUT',
    body: new Uint8Array(bytes.subarray(start)),
    headers: { 'content-range': `bytes ${start}-${total - 1}/${total}`, 'content-type': 'application/octet-stream' },
  });
  return { status: res.status, body: (await res.json()) as { offset: number; error?: string } };
}

/** Starts a chunk, sends `sent` bytes, and drops the connection after `delayMs`. */
function cutOffChunk(id: string, bytes: Buffer, start: number, sent: number, delayMs: number): Promise<void> {
  return new Promise((resolve) => {
    const req = httpRequest(url(`/api/uploads/${id}?offset=${start}`), { method: 'PUT', headers: { 'content-length': String(bytes.length - start) } });
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
    const res = await fetch(url(`/api/uploads/${id}`), { method: 'PUT', body: 'abcd', headers: { 'content-range': 'bytes 0-3/5000' } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/Content-Range says the file holds 5000 bytes.*100 bytes/);
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
    const res = await fetch(url(`/api/uploads/${id}/complete`), {
      method: 'POST',
      body: JSON.stringify({ teamName: 'Bomb Team', modelName: 'bomb', release: DEMO_RELEASE, split: 'dev' }),
      headers: { 'content-type': 'application/json' },
    });
    const body = (await res.json()) as { problems?: { file: string; message: string }[] };
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
      body: JSON.stringify({ path: bundlePath, teamName: 'Shared Team', modelName, release: DEMO_RELEASE, split: 'dev' }),
      headers: { 'content-type': 'application/json' },
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

describe('the server after all of the above', () => {
  it('is still up', async () => {
    expect(alive()).toBe(true);
    expect((await fetch(url('/'))).status).toBe(200);
  });
});
