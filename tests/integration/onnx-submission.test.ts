/**
 * ONNX submissions end to end: the tiny VLM fixture uploaded through the web form and through the
 * resumable chunked API (with an interrupted chunk), run by the platform's ONNX worker, scored and
 * ranked with runBy 'platform'; hostile uploads refused with nothing left on disk; a hanging model
 * killed at its limit while the worker goes on with the next run.
 */
import { request as httpRequest } from 'node:http';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTinyVlm } from '../../evaluator/onnx/fixture/make-tiny-vlm';
import { TINY_QWEN_FIXTURES } from '../../evaluator/onnx/fixture/make-tiny-qwen-vl';
import { decodeModel, encodeModel } from '../../evaluator/onnx/onnx-proto';
import { folderEntries, renameInZip, tarBuffer, tarGzBuffer, zipBuffer } from '../support/archives';
import { DEMO_RELEASE as RELEASE } from '../support/demo-oracle';
import { CARD_FIELDS, getJson, getText, waitForRunEnd } from '../support/platform-client';
import { startPlatform, startWorker, type RunningProcess } from '../support/processes';
import { teamMember } from '../support/accounts';
import { createApiToken } from '../support/api-tokens';
import { createTestDatabase, realServicesAvailable, TEST_REDIS_URL } from '../support/services';

const FIXTURE = path.resolve('tests/fixtures/tiny-vlm');
const servicesUp = await realServicesAvailable();
const configurations = [
  { name: 'real Postgres + Redis, standalone onnx,scoring worker', real: true },
  { name: 'embedded PGlite + in-process queue', real: false },
] as const;

type Entry = { path: string; data: Buffer };

async function fixtureEntries(dir = FIXTURE): Promise<Entry[]> {
  return folderEntries(dir, 'tiny-vlm');
}

/** Rewrites one entry of a bundle (by path inside the bundle folder). */
function withEntry(entries: Entry[], file: string, edit: (data: Buffer) => Buffer): Entry[] {
  return entries.map((e) => (e.path === `tiny-vlm/${file}` ? { ...e, data: edit(e.data) } : e));
}

const editJson = (edit: (v: Record<string, unknown>) => void) => (data: Buffer) => {
  const value = JSON.parse(data.toString());
  edit(value);
  return Buffer.from(JSON.stringify(value));
};

async function listDir(dir: string): Promise<string[]> {
  return readdir(dir).catch(() => []);
}

describe.each(configurations)('ONNX submissions on $name', ({ real }) => {
  const active = !real || servicesUp;
  let baseUrl = '';
  let dataDir = '';
  let platform: RunningProcess | undefined;
  let worker: RunningProcess | undefined;
  let dropDb: (() => Promise<void>) | undefined;
  let tmp = '';
  let fixtureTarGz: Buffer;

  let member: Awaited<ReturnType<typeof teamMember>>;
  let token = '';

  beforeAll(async () => {
    if (!active) return;
    tmp = await mkdtemp(path.join(os.tmpdir(), 'onnx-submission-'));
    // ONNX_SHARED_ROOT exists from the start, as on a configured server.
    await mkdir(path.join(tmp, 'shared'));
    fixtureTarGz = tarGzBuffer(await fixtureEntries());
    const extraEnv = {
      SHARD_SIZE: '25',
      SHARD_BACKOFF_MS: '200',
      ONNX_ITEM_TIMEOUT_MS: '6000',
      ONNX_MEMORY_LIMIT_MB: '1024',
      ONNX_UPLOAD_MAX_BYTES: String(8 * 1024 * 1024),
      ONNX_SHARED_ROOT: path.join(tmp, 'shared'),
      QUEUE_PREFIX: `sbh-onnx-${process.pid}-${Date.now()}`,
    };
    if (real) {
      const database = await createTestDatabase();
      dropDb = database.drop;
      const started = await startPlatform({ databaseUrl: database.url, redisUrl: TEST_REDIS_URL, extraEnv });
      ({ baseUrl, dataDir } = started);
      platform = started.proc;
      worker = await startWorker(started.env, ['--queues', 'onnx,scoring']);
    } else {
      const started = await startPlatform({ extraEnv });
      ({ baseUrl, dataDir } = started);
      platform = started.proc;
    }
    member = await teamMember({ baseUrl, proc: platform }, 'Onnx Team');
    token = await createApiToken(baseUrl, member.account, member.teamId, 'onnx-suite', ['submit', 'read']);
  });

  afterAll(async () => {
    // A platform or worker that died during the tests says why here (exit code or signal, and its output).
    for (const [name, p] of [['platform', platform], ['worker', worker]] as const) {
      if (p && (p.child.exitCode !== null || p.child.signalCode !== null || process.env.DEBUG_ONNX_TEST)) {
        console.error(`${name} (exit ${p.child.exitCode ?? p.child.signalCode ?? 'running'}) output:\n${p.output()}`);
      }
    }
    await worker?.stop();
    await platform?.stop();
    await dropDb?.();
    if (tmp) await rm(tmp, { recursive: true, force: true });
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const url = (p: string) => new URL(p, baseUrl);
  const fields = (modelName: string, split: 'dev' | 'test') => ({ modelName, release: RELEASE, split, ...(split === 'test' ? CARD_FIELDS : {}) });
  const auth = () => ({ authorization: `Bearer ${token}` });
  /** The API's error `{error: {code, message, ...details}}` flattened to `{error: message, ...details}` for the checks below. */
  const flat = (json: any) => (json?.error && typeof json.error === 'object' ? { ...json.error, error: json.error.message } : json);

  /** A browser-style multipart POST of the ONNX form. */
  async function postOnnxForm(archive: Buffer, filename: string, modelName: string, split: 'dev' | 'test') {
    const form = new FormData();
    for (const [k, v] of Object.entries({ teamId: String(member.teamId), ...fields(modelName, split) })) form.append(k, v);
    form.append('archive', new Blob([new Uint8Array(archive)]), filename);
    const res = await fetch(url('/submit/onnx'), { method: 'POST', body: form, redirect: 'manual', headers: { cookie: member.cookie, origin: new URL(baseUrl).origin } });
    return { status: res.status, location: res.headers.get('location'), text: await res.text() };
  }

  async function createUpload(totalBytes: number) {
    const res = await fetch(url('/api/v1/uploads'), { method: 'POST', body: JSON.stringify({ totalBytes }), headers: { 'content-type': 'application/json', ...auth() } });
    return { status: res.status, body: flat(await res.json()) as { id: string; offset: number; error?: string } };
  }

  async function putChunk(id: string, archive: Buffer, start: number, end: number) {
    const res = await fetch(url(`/api/v1/uploads/${id}`), {
      method: 'PUT',
      body: new Uint8Array(archive.subarray(start, end + 1)),
      headers: { 'content-range': `bytes ${start}-${end}/${archive.length}`, 'content-type': 'application/octet-stream', ...auth() },
    });
    return { status: res.status, body: flat(await res.json()) as { offset: number; error?: string } };
  }

  /** Sends part of a chunk, then drops the connection, as a flaky network would. */
  function interruptedChunk(id: string, archive: Buffer, start: number, end: number): Promise<void> {
    return new Promise((resolve) => {
      const req = httpRequest(url(`/api/v1/uploads/${id}`), {
        method: 'PUT',
        headers: { 'content-range': `bytes ${start}-${end}/${archive.length}`, 'content-length': String(end - start + 1), ...auth() },
      });
      req.on('error', () => resolve());
      req.on('close', () => resolve());
      req.write(archive.subarray(start, start + Math.floor((end - start + 1) / 2)));
      setTimeout(() => req.destroy(), 400);
    });
  }

  async function completeUpload(id: string, body: Record<string, unknown>) {
    const res = await fetch(url(`/api/v1/uploads/${id}/complete`), { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...auth() } });
    return { status: res.status, body: flat(await res.json()) as { runId?: number; error?: string; problems?: { file: string; field?: string; message: string }[]; fieldErrors?: Record<string, string> } };
  }

  /** Uploads in `parts` chunks through the API and completes; returns the answer of complete. */
  async function uploadByApi(archive: Buffer, body: Record<string, unknown>, parts = 3) {
    const created = await createUpload(archive.length);
    expect(created.status, created.body.error).toBe(201);
    const size = Math.ceil(archive.length / parts);
    for (let start = 0; start < archive.length; start += size) {
      const put = await putChunk(created.body.id, archive, start, Math.min(archive.length, start + size) - 1);
      expect(put.status, put.body.error).toBe(200);
    }
    return completeUpload(created.body.id, body);
  }

  async function expectNothingLeft(modelsBefore: string[]) {
    expect(await listDir(path.join(dataDir, 'uploads'))).toEqual([]);
    expect((await listDir(path.join(dataDir, 'models'))).sort()).toEqual([...modelsBefore].sort());
  }

  it.runIf(active)('refuses hostile uploads through the form and the API with a clear message, leaving nothing on disk', async () => {
    const entries = await fixtureEntries();
    const modelsBefore = await listDir(path.join(dataDir, 'models'));
    const slipZip = renameInZip(await zipBuffer([...entries, { path: 'xx/evil.sh', data: Buffer.from('echo pwned') }]), 'xx/evil.sh', '../evil.sh');
    const embed = entries.find((e) => e.path === 'tiny-vlm/onnx/embed_tokens.onnx')!.data;
    const customOp = decodeModel(embed);
    customOp.opset_import!.push({ domain: 'ai.onnx.contrib', version: 1 });
    customOp.graph!.node![0].domain = 'ai.onnx.contrib';
    const fullTar = tarBuffer(entries);
    // `file`: what the refusal names: the archive entry as packed, or the file inside the bundle.
    const hostile: { name: string; archive: Buffer; file?: string; expect: RegExp; via: 'form' | 'api' }[] = [
      { name: 'zip-slip (zip)', archive: slipZip, expect: /leaves the archive folder.*\.\.\/evil\.sh/, via: 'form' },
      { name: 'zip-slip (tar)', archive: tarGzBuffer([...entries, { path: '../evil.sh', data: Buffer.from('echo pwned') }]), file: '../evil.sh', expect: /leaves the archive folder/, via: 'api' },
      { name: 'symlink', archive: tarBuffer([...entries, { path: 'tiny-vlm/onnx/extra', type: 'SymbolicLink', linkpath: '/etc/passwd' }]), file: 'tiny-vlm/onnx/extra', expect: /links are not allowed/, via: 'api' },
      { name: 'zip bomb', archive: await zipBuffer([...entries, { path: 'tiny-vlm/onnx/weights.bin', data: Buffer.alloc(40 * 1024 * 1024) }]), file: 'tiny-vlm/onnx/weights.bin', expect: /expands more than 100 times/, via: 'form' },
      { name: 'truncated archive', archive: fullTar.subarray(0, Math.floor(fullTar.length / 2)), expect: /truncated or corrupt/, via: 'api' },
      { name: 'non-protobuf ONNX', archive: tarGzBuffer(withEntry(entries, 'onnx/vision_encoder.onnx', () => Buffer.from('<html>not a model</html>'.repeat(20)))), file: 'onnx/vision_encoder.onnx', expect: /not an ONNX model/, via: 'form' },
      { name: 'custom-op domain', archive: tarGzBuffer(withEntry(entries, 'onnx/embed_tokens.onnx', () => Buffer.from(encodeModel(customOp)))), file: 'onnx/embed_tokens.onnx', expect: /custom op/, via: 'api' },
      { name: 'declared size over the limit', archive: tarGzBuffer(withEntry(entries, 'spinebench-manifest.json', editJson((m) => (m.declaredTotalBytes = 64 * 1024 ** 3)))), file: 'spinebench-manifest.json', expect: /exceeds the worker memory limit/, via: 'form' },
    ];
    for (const h of hostile) {
      if (h.via === 'form') {
        const res = await postOnnxForm(h.archive, `${h.name}.bin`, `hostile-${h.name.replace(/\W/g, '-')}`, 'dev');
        expect(res.status, h.name).toBe(422);
        expect(res.text, h.name).toContain('The bundle was refused');
        expect(res.text, h.name).toMatch(h.expect);
        if (h.file) expect(res.text, h.name).toContain(`<code>${h.file}</code>`);
      } else {
        const res = await uploadByApi(h.archive, fields(`hostile-${h.name.replace(/\W/g, '-')}`, 'dev'));
        expect(res.status, h.name).toBe(422);
        expect(res.body.problems, h.name).toEqual(expect.arrayContaining([expect.objectContaining({ message: expect.stringMatching(h.expect) })]));
        if (h.file) expect(res.body.problems!.map((p) => p.file), h.name).toContain(h.file);
      }
      await expectNothingLeft(modelsBefore);
    }
    // Over the upload limit: refused before any byte is kept, by the API up front and by the form as it streams.
    const tooBig = await createUpload(8 * 1024 * 1024 + 1);
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error).toMatch(/larger than this platform accepts/);
    const bigForm = await postOnnxForm(Buffer.alloc(9 * 1024 * 1024, 7), 'big.tar', 'too-big', 'dev');
    expect(bigForm.status).toBe(413);
    expect(bigForm.text).toMatch(/larger than this platform accepts/);
    await expectNothingLeft(modelsBefore);
  });

  /**
   * Each submission is made once, by the first test that needs it, so any test also runs alone (`-t`). In file
   * order the submitting tests come first: the runs queue up (the hanging model first) and evaluate while the
   * later tests wait for their results.
   */
  const once = <T>(make: () => Promise<T>) => {
    let made: Promise<T> | undefined;
    return () => (made ??= make());
  };

  const submitHangingModel = once(async () => {
    const dir = path.join(tmp, 'hang', 'tiny-vlm');
    await writeTinyVlm(dir, {}, { hazard: 'hang' });
    const res = await uploadByApi(tarGzBuffer(await folderEntries(dir, 'tiny-vlm')), fields('hanging-vlm', 'test'), 2);
    expect(res.status, res.body.error).toBe(201);
    return res.body.runId!;
  });

  const submitByForm = once(async () => {
    const res = await postOnnxForm(fixtureTarGz, 'tiny-vlm.tar.gz', 'tiny-vlm-form', 'dev');
    expect(res.status, res.text.slice(0, 500)).toBe(302);
    return Number(/\/runs\/(\d+)/.exec(res.location ?? '')![1]);
  });

  const submitByChunkedApi = once(async () => {
    const created = await createUpload(fixtureTarGz.length);
    expect(created.status).toBe(201);
    const id = created.body.id;
    const quarter = Math.ceil(fixtureTarGz.length / 4);
    expect((await putChunk(id, fixtureTarGz, 0, quarter - 1)).body.offset).toBe(quarter);
    // The second chunk is cut off midway; the bytes that arrived are kept and the upload resumes from them.
    await interruptedChunk(id, fixtureTarGz, quarter, 2 * quarter - 1);
    const { offset } = (await (await fetch(url(`/api/v1/uploads/${id}`), { headers: auth() })).json()) as { offset: number };
    expect(offset).toBeGreaterThan(quarter);
    expect(offset).toBeLessThan(2 * quarter);
    const stale = await putChunk(id, fixtureTarGz, quarter, 2 * quarter - 1);
    expect(stale.status).toBe(409);
    expect(stale.body.offset).toBe(offset);
    for (let start = offset; start < fixtureTarGz.length; start += quarter) {
      const put = await putChunk(id, fixtureTarGz, start, Math.min(fixtureTarGz.length, start + quarter) - 1);
      expect(put.status, put.body.error).toBe(200);
    }
    const bad = await completeUpload(id, { ...fields('tiny-vlm-api', 'test'), release: 'no-such-release@0' });
    expect(bad.status).toBe(400);
    expect(bad.body.fieldErrors?.release).toMatch(/does not accept submissions/);
    const done = await completeUpload(id, fields('tiny-vlm-api', 'test'));
    expect(done.status, done.body.error).toBe(201);
    expect(await listDir(path.join(dataDir, 'uploads'))).toEqual([]);
    return done.body.runId!;
  });

  /** The tiny Qwen2-VL and Qwen2.5-VL fixtures (tests/integration/tiny-qwen-vl.test.ts), through the form on the dev split. */
  const submitQwen = Object.fromEntries(
    Object.entries(TINY_QWEN_FIXTURES).map(([arch, dir]) => [
      arch,
      once(async () => {
        const archive = tarGzBuffer(await folderEntries(path.resolve(dir), path.basename(dir)));
        const res = await postOnnxForm(archive, `${path.basename(dir)}.tar.gz`, `tiny-${arch}`, 'dev');
        expect(res.status, res.text.slice(0, 500)).toBe(302);
        return Number(/\/runs\/(\d+)/.exec(res.location ?? '')![1]);
      }),
    ]),
  );

  const postSharedBundle = (body: Record<string, unknown>) =>
    fetch(url('/api/shared-bundles'), { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...auth() } }).then(
      async (r) => ({ status: r.status, body: flat(await r.json()) as { error?: string; runId?: number } }),
    );

  /** Registers the fixture from shared storage; returns the run and the folder under DATA_DIR/models it was copied to. */
  const registerSharedBundle = once(async () => {
    await writeTinyVlm(path.join(tmp, 'shared', 'team', 'tiny-vlm'));
    const foldersBefore = await listDir(path.join(dataDir, 'models'));
    const registered = await postSharedBundle({ ...fields('tiny-vlm-shared', 'dev'), path: 'team/tiny-vlm' });
    expect(registered.status, registered.body.error).toBe(201);
    const snapshots = (await listDir(path.join(dataDir, 'models'))).filter((f) => !foldersBefore.includes(f));
    expect(snapshots).toHaveLength(1);
    return { runId: registered.body.runId!, snapshot: path.join(dataDir, 'models', snapshots[0]) };
  });

  it.runIf(active)('queues a model that hangs (it will be killed at its time limit)', async () => {
    expect(await submitHangingModel()).toBeGreaterThan(0);
  });

  it.runIf(active)('accepts the fixture through the web form (multipart, as a browser sends it) on the dev split', async () => {
    expect(await submitByForm()).toBeGreaterThan(0);
  });

  it.runIf(active)('accepts the fixture through the chunked API on the test split, resuming after an interrupted chunk', async () => {
    expect(await submitByChunkedApi()).toBeGreaterThan(0);
  });

  it.runIf(active)('accepts the tiny Qwen2-VL and Qwen2.5-VL fixtures through the web form on the dev split', async () => {
    for (const submit of Object.values(submitQwen)) expect(await submit()).toBeGreaterThan(0);
  });

  it.runIf(active)('registers a bundle on shared storage only under ONNX_SHARED_ROOT', async () => {
    for (const escape of ['../', '../../etc', '/etc', 'team/../../']) {
      const res = await postSharedBundle({ ...fields('shared-escape', 'dev'), path: escape });
      expect(res.status, escape).toBe(400);
      expect(res.body.error).toMatch(/outside the shared model folder|leads outside/);
    }
    expect((await registerSharedBundle()).runId).toBeGreaterThan(0);
  });

  it.runIf(active)('kills the hanging model at its time limit (typed timeout) and the worker goes on with the next runs', async () => {
    const hangId = await submitHangingModel();
    const hang = await waitForRunEnd(baseUrl, hangId, 240_000);
    expect(hang.status).toBe('failed');
    expect(hang.errorCode).toBe('timeout');
    const page = (await getText(baseUrl, `/runs/${hangId}`)).text;
    expect(page).toMatch(/<strong>timeout<\/strong>/);
  }, 250_000);

  it.runIf(active)('evaluates the uploaded models on the dev and test splits; the test run is ranked as run by the platform', async () => {
    const [formId, apiId] = [await submitByForm(), await submitByChunkedApi()];
    const form = await waitForRunEnd(baseUrl, formId, 300_000);
    expect(form.status, JSON.stringify(form)).toBe('succeeded');
    expect(form.doneItems).toBe(form.totalItems);
    expect(form.totalItems).toBeGreaterThan(0);
    const api = await waitForRunEnd(baseUrl, apiId, 300_000);
    expect(api.status, JSON.stringify(api)).toBe('succeeded');
    expect(api.score).not.toBeNull();

    const board = await getJson<{ rows: { runId: number; modelName: string; runBy: string; nItems: number }[] }>(
      baseUrl,
      `/api/leaderboard/${encodeURIComponent(RELEASE)}`,
    );
    const row = board.rows.find((r) => r.runId === apiId);
    expect(row).toMatchObject({ modelName: 'tiny-vlm-api', runBy: 'platform', nItems: api.totalItems });
    expect(board.rows.find((r) => r.modelName === 'hanging-vlm')).toBeUndefined();

    for (const runId of [formId, apiId]) {
      const run = await getJson<{
        runtimeInfo: { device: string; onnxruntimeVersion: string; transformersVersion: string; loadMs: number; peakRssBytes: number; memory: { plan: { totalBytes: number } } };
      }>(baseUrl, `/api/runs/${runId}`);
      expect(run.runtimeInfo.device).toBe('cpu');
      expect(run.runtimeInfo.onnxruntimeVersion).toMatch(/^\d+\.\d+\.\d+/);
      expect(run.runtimeInfo.transformersVersion).toMatch(/^\d+\.\d+\.\d+/);
      // Load time and memory plan from the shard's start, peak resident memory from its end (decision 212).
      expect(run.runtimeInfo.loadMs).toBeGreaterThan(0);
      expect(run.runtimeInfo.memory.plan.totalBytes).toBeGreaterThan(256 * 1024 * 1024);
      expect(run.runtimeInfo.peakRssBytes).toBeGreaterThan(50 * 1024 * 1024);
    }
    const page = (await getText(baseUrl, `/runs/${formId}`)).text;
    expect(page).toMatch(/data-testid="runtime-info"><p>Run by the platform on CPU with onnxruntime-node \d+\.\d+\.\d+/);
    expect(page).toMatch(/<li>CUDA not used: CUDA execution provider library not installed<\/li>/);
    expect(page).toMatch(/Model loaded in \d+\.\d s; peak resident memory 0\.\d\d GiB; planned 0\.\d\d GiB\./);
    // Dev runs show their per-item log with the model's raw outputs.
    expect(page).toContain('Per-item log (dev split)');
  }, 650_000);

  it.runIf(active)('runs and scores the Qwen2-VL and Qwen2.5-VL bundles (M-RoPE, image grids) like the llava one', async () => {
    for (const [arch, submit] of Object.entries(submitQwen)) {
      const run = await waitForRunEnd(baseUrl, await submit(), 300_000);
      expect(run.status, `${arch}: ${JSON.stringify(run)}`).toBe('succeeded');
      expect(run.totalItems).toBeGreaterThan(0);
      expect(run.doneItems).toBe(run.totalItems);
      expect(run.score, arch).not.toBeNull();
    }
  }, 610_000);

  it.runIf(active)('keeps one model loaded across the shards it serves (worker log)', async () => {
    const { runId: sharedId, snapshot: sharedSnapshot } = await registerSharedBundle();
    const shared = await waitForRunEnd(baseUrl, sharedId, 300_000);
    expect(shared.status).toBe('succeeded');
    const log = (worker ?? platform)!.output();
    const loads = (dir: string) => log.split('\n').filter((l) => l.includes('onnx: loading model from') && l.includes(dir)).length;
    // The shared-path run has 60 dev items in 3 shards: on the standalone worker (one ONNX job at a time) one
    // load serves them all; in-process, two runs at once may take turns with the model.
    // Registration snapshots the shared bundle under DATA_DIR/models; the worker loads that copy.
    if (real) expect(loads(sharedSnapshot)).toBe(1);
    else expect(loads(sharedSnapshot)).toBeGreaterThanOrEqual(1);
    if (real) expect(worker!.output()).toMatch(/worker ready \(queues onnx,scoring.*onnx device cpu/);
  }, 310_000);
});
