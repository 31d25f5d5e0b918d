/**
 * The WebGPU device end to end on lavapipe (software Vulkan): the same child-process runner the workers
 * use, with `device: 'webgpu'`, against the CPU provider on the same fixtures. On a GPU host the same path
 * runs on the GPU (docs/decisions/211-webgpu-device.md).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isEvaluationError } from '../../evaluator/errors';
import { writeTinyVlm } from '../../evaluator/onnx/fixture/make-tiny-vlm';
import { createOnnxAdapter, type OnnxAdapter } from '../../evaluator/onnx/onnx-adapter';
import { lavapipeIcdOrSkip } from '../support/lavapipe';
import { solidPng } from '../support/test-png';

const icd = lavapipeIcdOrSkip();
const FIXTURE = path.resolve('tests/fixtures/tiny-vlm');
const red = { data: solidPng(40, 30, [200, 10, 30]), mimeType: 'image/png' as const };
const green = { data: solidPng(20, 50, [10, 200, 30]), mimeType: 'image/png' as const };
const prompts = [
  { system: 'You are a spine specialist.', text: 'Which level is narrowed? A. L4-L5 B. L5-S1', images: [red] },
  { system: '', text: '腰4/5 请只回答一个选项字母。', images: [] },
  { system: 'Report.', text: 'Describe both images.', images: [red, green] },
];
const open = (modelDir: string, device: 'webgpu' | 'cpu' | 'auto') => createOnnxAdapter({ modelDir, timeoutMs: 120_000, memoryLimitMb: 4096, device });

describe.runIf(icd)('ONNX runner on the WebGPU device (lavapipe)', () => {
  const savedDriverFiles = process.env.VK_DRIVER_FILES;
  let tmp: string;
  beforeAll(async () => {
    // The runner child inherits this: the Vulkan loader then sees only lavapipe.
    process.env.VK_DRIVER_FILES = icd!;
    tmp = await mkdtemp(path.join(os.tmpdir(), 'sbh-webgpu-'));
  });
  afterAll(async () => {
    if (savedDriverFiles === undefined) delete process.env.VK_DRIVER_FILES;
    else process.env.VK_DRIVER_FILES = savedDriverFiles;
    await rm(tmp, { recursive: true, force: true });
  });

  it('runs on webgpu, records the adapter, and answers token for token as the CPU does', async () => {
    const webgpu = await open(FIXTURE, 'webgpu');
    const cpu = await open(FIXTURE, 'cpu');
    try {
      expect(webgpu.runtimeInfo()).toMatchObject({ device: 'webgpu', adapter: { name: expect.stringMatching(/lavapipe/), software: true, source: 'vulkan-icd' } });
      expect(cpu.runtimeInfo().device).toBe('cpu');
      for (const prompt of prompts) {
        const [onGpu, onCpu] = [await webgpu.generateWithStats(prompt), await cpu.generateWithStats(prompt)];
        expect(onGpu.newTokens).toBeGreaterThan(0);
        expect({ text: onGpu.text, newTokens: onGpu.newTokens }).toEqual({ text: onCpu.text, newTokens: onCpu.newTokens });
      }
    } finally {
      await Promise.all([webgpu.close(), cpu.close()]);
    }
  }, 180_000);

  it.each([
    ['llava', 'tests/fixtures/tiny-vlm'],
    ['qwen2_vl', 'tests/fixtures/tiny-qwen2-vl'],
    ['qwen2_5_vl', 'tests/fixtures/tiny-qwen2_5-vl'],
  ])('%s: a batch on webgpu (cache on the device, padded rows) answers as the CPU does one prompt at a time', async (_arch, fixture) => {
    const webgpu = await open(path.resolve(fixture), 'webgpu');
    const cpu = await open(path.resolve(fixture), 'cpu');
    try {
      const alone = [];
      for (const prompt of prompts) alone.push(await cpu.generateWithStats(prompt));
      const batch = await webgpu.generateBatch(prompts);
      expect(batch.map((r) => (r.status === 'fulfilled' ? [r.value.text, r.value.newTokens] : r.reason))).toEqual(alone.map((r) => [r.text, r.newTokens]));
      expect(new Set(alone.map((r) => r.text)).size).toBeGreaterThan(1);
    } finally {
      await Promise.all([webgpu.close(), cpu.close()]);
    }
  }, 180_000);

  it('keeps the runner memory flat over 30 generations: each step frees the cache it replaced', async () => {
    // Wide enough that a leaked KV cache shows: ~24 MB per generation (4 layers × 256 wide × ~120 positions
    // × 24 steps). Measured before the fix on lavapipe: memory grew by the leak every generation.
    const wide = path.join(tmp, 'wide');
    await writeTinyVlm(wide, { hidden: 256, layers: 4, intermediate: 512 });
    const adapter = await open(wide, 'webgpu');
    try {
      const rss: number[] = [];
      for (let i = 0; i < 30; i++) {
        await adapter.generate(prompts[0]);
        rss.push((await adapter.residentBytes!())!);
      }
      const grownMb = (rss[29] - rss[4]) / 2 ** 20;
      expect(grownMb, `runner memory after 5 generations ${Math.round(rss[4] / 2 ** 20)} MB, after 30 ${Math.round(rss[29] / 2 ** 20)} MB`).toBeLessThan(60);
    } finally {
      await adapter.close();
    }
  }, 300_000);

  it('auto passes over the software adapter for the CPU and records why', async () => {
    const adapter = await open(FIXTURE, 'auto');
    try {
      const info = adapter.runtimeInfo();
      expect(info.device).toBe('cpu');
      expect(info.skipped).toEqual([
        { device: 'cuda', reason: expect.stringMatching(/CUDA/) },
        { device: 'webgpu', reason: expect.stringMatching(/only a software Vulkan adapter \(lavapipe/) },
      ]);
    } finally {
      await adapter.close();
    }
  }, 120_000);

  it('without a Vulkan driver: webgpu is refused as the worker\'s fault, and auto falls back with the reason', async () => {
    process.env.VK_DRIVER_FILES = path.join(tmp, 'no-such-driver.json');
    try {
      const error = await open(FIXTURE, 'webgpu').then(
        (a) => (void a.close(), null),
        (e: unknown) => e,
      );
      expect(isEvaluationError(error), String(error)).toBe(true);
      expect(error).toMatchObject({ code: 'internal', options: { platformFault: true } });
      expect((error as Error).message).toMatch(/^This worker cannot run models on webgpu: WebGPU requested but unavailable: .*No supported adapters/);
      const fallback = await open(FIXTURE, 'auto');
      expect(fallback.runtimeInfo().device).toBe('cpu');
      expect(fallback.runtimeInfo().skipped?.[1]).toEqual({ device: 'webgpu', reason: expect.stringMatching(/Failed to get a WebGPU adapter: No supported adapters/) });
      await fallback.close();
    } finally {
      process.env.VK_DRIVER_FILES = icd!;
    }
  }, 120_000);
});
