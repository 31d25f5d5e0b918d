import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isEvaluationError } from '../../evaluator/errors';
import { createOnnxAdapter, type OnnxAdapter } from '../../evaluator/onnx/onnx-adapter';
import { writeTinyVlm } from '../../evaluator/onnx/fixture/make-tiny-vlm';
import { solidPng } from '../support/test-png';

const FIXTURE = path.resolve('tests/fixtures/tiny-vlm');
const ORT_VERSION = createRequire(import.meta.url)('onnxruntime-node/package.json').version as string;
const red = { data: solidPng(40, 30, [200, 10, 30]), mimeType: 'image/png' as const };
const green = { data: solidPng(20, 50, [10, 200, 30]), mimeType: 'image/png' as const };
const question = { system: 'You are a spine specialist.', text: 'Which level is narrowed? A. L4-L5 B. L5-S1', images: [red] };

async function expectEvaluationError(promise: Promise<unknown>, code: string): Promise<void> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(isEvaluationError(error), `expected an EvaluationError, got ${String(error)}`).toBe(true);
  expect((error as { code: string }).code).toBe(code);
}

describe('ONNX adapter on the tiny VLM fixture (real child process, real generation)', () => {
  let adapter: OnnxAdapter;
  beforeAll(async () => {
    adapter = await createOnnxAdapter({ modelDir: FIXTURE, timeoutMs: 30_000, memoryLimitMb: 1024 });
  });
  afterAll(async () => adapter?.close());

  it('records the device and the onnxruntime version', () => {
    const info = adapter.runtimeInfo();
    expect(info.device).toBe('cpu'); // no CUDA provider here, and WebGPU at most on software Vulkan
    expect(info.onnxruntimeVersion).toBe(ORT_VERSION);
    expect(info.skipped?.map((s) => s.device)).toEqual(['cuda', 'webgpu']);
    expect(info.skipped?.[0].reason).toMatch(/CUDA/);
  });

  it('generates text for an image+text prompt, greedily (same answer twice), within max new tokens', async () => {
    const first = await adapter.generateWithStats(question);
    const second = await adapter.generateWithStats(question);
    expect(first.text.length).toBeGreaterThan(0);
    expect(first.newTokens).toBeGreaterThan(0);
    expect(first.newTokens).toBeLessThanOrEqual(24);
    expect(second.text).toBe(first.text);
  });

  it('answers text-only, Chinese and multi-image prompts, and the image changes the answer', async () => {
    const textOnly = await adapter.generate({ system: '', text: '腰4/5 请只回答一个选项字母。', images: [] });
    const twoImages = await adapter.generate({ ...question, images: [red, green] });
    const otherImage = await adapter.generate({ ...question, images: [green] });
    const oneImage = await adapter.generate(question);
    expect(textOnly.length).toBeGreaterThan(0);
    expect(twoImages.length).toBeGreaterThan(0);
    expect(new Set([twoImages, otherImage, oneImage, textOnly]).size).toBeGreaterThan(1);
  });

  it('keeps one model loaded across calls; an already-aborted call is refused without touching it', async () => {
    const controller = new AbortController();
    controller.abort(new Error('run cancelled'));
    await expect(adapter.generate(question, controller.signal)).rejects.toThrow('run cancelled');
    expect((await adapter.generate(question)).length).toBeGreaterThan(0);
    expect(adapter.runnerStarts()).toBe(1);
  });
  it('answers a batch with what each prompt gets alone; an item whose image does not decode fails alone', async () => {
    const prompts = [
      { ...question, images: [red, green] },
      { system: '', text: 'L5?', images: [] },
      { ...question, text: 'Fracture? Answer yes or no, then name the level.', images: [green] },
      question,
    ];
    const alone = [];
    for (const p of prompts) alone.push(await adapter.generateWithStats(p));
    const batch = await adapter.generateBatch(prompts);
    expect(batch.map((r) => (r.status === 'fulfilled' ? r.value.text : r.reason))).toEqual(alone.map((r) => r.text));
    expect(batch.map((r) => (r.status === 'fulfilled' ? r.value.newTokens : 0))).toEqual(alone.map((r) => r.newTokens));

    const broken = { ...question, images: [{ data: new Uint8Array([1, 2, 3]), mimeType: 'image/png' as const }] };
    const mixed = await adapter.generateBatch([question, broken, prompts[1]]);
    expect(mixed.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(mixed[0].status === 'fulfilled' && mixed[0].value.text).toBe(alone[3].text);
    expect(mixed[2].status === 'fulfilled' && mixed[2].value.text).toBe(alone[1].text);
    const error = mixed[1].status === 'rejected' ? mixed[1].reason : null;
    expect(isEvaluationError(error) && error.code).toBe('model_crashed');
    expect(adapter.runnerStarts()).toBe(1);
  });
  it('with batchSize 4 sends concurrent calls of one signal as batches of at most 4, with the answers of one by one', async () => {
    const prompts = [question, { ...question, images: [green] }, { system: '', text: 'L5?', images: [] }, { ...question, images: [red, green] }];
    const six = [...prompts, prompts[1], prompts[2]];
    const alone = [];
    for (const p of six) alone.push((await adapter.generateWithStats(p)).text);
    const batching = await createOnnxAdapter({ modelDir: FIXTURE, timeoutMs: 30_000, memoryLimitMb: 1024, batchSize: 4 });
    try {
      const results = await Promise.all(six.map((p) => batching.generateWithStats(p)));
      expect(results.map((r) => r.text)).toEqual(alone);
      // Items of one batch report the batch's wall time: two batches (4 + 2).
      expect(new Set(results.map((r) => r.generateMs)).size).toBe(2);
      expect(new Set(results.slice(0, 4).map((r) => r.generateMs)).size).toBe(1);
    } finally {
      await batching.close();
    }
  });
});

describe('ONNX adapter limits', () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'onnx-hazard-'));
  });
  afterAll(async () => rm(tmp, { recursive: true, force: true }));

  it('kills a model that hangs at its time limit (timeout), restarts it for the next call, and the next adapter works', async () => {
    const dir = path.join(tmp, 'hang');
    await writeTinyVlm(dir, {}, { hazard: 'hang' });
    const hanging = await createOnnxAdapter({ modelDir: dir, timeoutMs: 2_000, memoryLimitMb: 1024 });

    // Abort mid-generation: the call ends at once with the signal's reason, long before the time limit.
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('run cancelled')), 300);
    await expect(hanging.generate(question, controller.signal)).rejects.toThrow('run cancelled');

    const started = Date.now();
    await expectEvaluationError(hanging.generate(question), 'timeout');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(hanging.runnerStarts()).toBe(2); // the aborted runner was killed and replaced
    await hanging.close();

    const healthy = await createOnnxAdapter({ modelDir: FIXTURE, timeoutMs: 30_000, memoryLimitMb: 1024 });
    expect((await healthy.generate(question)).length).toBeGreaterThan(0);
    await healthy.close();
  });

  it('kills a model that exhausts memory at its limit (resource_limit) and the next adapter still works', async () => {
    const dir = path.join(tmp, 'memory');
    await writeTinyVlm(dir, {}, { hazard: 'memory' });
    const hungry = await createOnnxAdapter({ modelDir: dir, timeoutMs: 30_000, memoryLimitMb: 400, memoryPollMs: 20 });
    await expectEvaluationError(hungry.generate(question), 'resource_limit');
    await hungry.close();

    const healthy = await createOnnxAdapter({ modelDir: FIXTURE, timeoutMs: 30_000, memoryLimitMb: 1024 });
    expect((await healthy.generate(question)).length).toBeGreaterThan(0);
    await healthy.close();
  });

  it('never puts the prompt into a generate error unless asked to (hidden items stay hidden)', async () => {
    const dir = path.join(tmp, 'leaky-template');
    await cp(FIXTURE, dir, { recursive: true });
    const manifestPath = path.join(dir, 'spinebench-manifest.json');
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
    manifest.chatTemplate = { inline: "{{ raise_exception('leak: ' + messages[0]['content']) }}" };
    await writeFile(manifestPath, JSON.stringify(manifest));
    const secret = { system: '', text: 'HIDDEN-QUESTION-42', images: [] };
    for (const errorDetail of ['hide', 'show'] as const) {
      const adapter = await createOnnxAdapter({ modelDir: dir, timeoutMs: 30_000, memoryLimitMb: 1024, errorDetail });
      const error = await adapter.generate(secret).then(() => null, (e: Error) => e);
      await adapter.close();
      expect(isEvaluationError(error)).toBe(true);
      expect((error as unknown as { code: string }).code).toBe('model_crashed');
      expect(error!.message.includes('HIDDEN-QUESTION-42')).toBe(errorDetail === 'show');
    }
  });

  it('refuses a bundle whose model cannot be loaded (invalid_artifact)', async () => {
    await expectEvaluationError(createOnnxAdapter({ modelDir: path.join(tmp, 'missing'), timeoutMs: 5_000, memoryLimitMb: 512 }), 'invalid_artifact');
  });
});
