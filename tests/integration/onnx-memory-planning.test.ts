import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { isEvaluationError } from '../../evaluator/errors';
import { writeTinyVlm } from '../../evaluator/onnx/fixture/make-tiny-vlm';
import { createOnnxAdapter } from '../../evaluator/onnx/onnx-adapter';
import { RunnerProcess } from '../../evaluator/onnx/runner-process';
import { validateBundle } from '../../evaluator/onnx/validate-bundle';
import { solidPng } from '../support/test-png';

const FIXTURE = path.resolve('tests/fixtures/tiny-vlm');
const question = { system: 'You are a spine specialist.', text: 'Which level is narrowed? A. L4-L5 B. L5-S1', images: [{ data: solidPng(40, 30, [200, 10, 30]), mimeType: 'image/png' as const }] };

async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(isEvaluationError(error), `expected an EvaluationError, got ${String(error)}`).toBe(true);
  return error as { code: string; message: string };
}

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'onnx-memory-'));
});
afterAll(async () => rm(tmp, { recursive: true, force: true }));

describe('memory planning before an ONNX model is loaded', () => {
  it('refuses a bundle whose estimate exceeds the memory limit, naming need and limit, without starting a runner', async () => {
    const start = vi.spyOn(RunnerProcess, 'start');
    try {
      // The tiny fixture plans 0.32 GiB (mostly the runtime's base); 200 MB cannot hold it.
      const small = await refusal(createOnnxAdapter({ modelDir: FIXTURE, timeoutMs: 30_000, memoryLimitMb: 200, device: 'cpu' }));
      expect(small.code).toBe('resource_limit');
      expect(small.message).toMatch(/needs about 0\.32 GiB of memory on CPU \(weights 0\.2 MiB, KV cache 1\.0 MiB for 2048 prompt \+ 24 new tokens/);
      expect(small.message).toMatch(/memory limit is 0\.20 GiB\. Use a smaller dtype .* \(ONNX_MEMORY_LIMIT_MB on a worker, --memory-mb with spinebench eval\)/);
      // A longer planned prompt grows the attention scores (4 heads × 16384² × 4 bytes = 4 GiB) past 1 GiB.
      const long = await refusal(createOnnxAdapter({ modelDir: FIXTURE, timeoutMs: 30_000, memoryLimitMb: 1024, device: 'cpu', planPromptTokens: 16_384 }));
      expect(long.message).toMatch(/for 16384 prompt \+ 24 new tokens, activations 4\.\d\d GiB\).* limit is 1\.00 GiB/);
      expect(start).not.toHaveBeenCalled();
    } finally {
      start.mockRestore();
    }
  });
});

describe('memory planning with device auto', () => {
  // nvidia-smi that reports an idle 80 GB GPU: the parent plans for the GPU, but this host has no CUDA
  // provider and no hardware WebGPU adapter, so the child chooses the CPU.
  let savedPath: string | undefined;
  beforeAll(async () => {
    const bin = path.join(tmp, 'fake-gpu-bin');
    await mkdir(bin, { recursive: true });
    await writeFile(path.join(bin, 'nvidia-smi'), '#!/bin/sh\necho "81920, 0"\n', { mode: 0o755 });
    savedPath = process.env.PATH;
    process.env.PATH = `${bin}:${savedPath}`;
  });
  afterAll(() => {
    process.env.PATH = savedPath;
  });

  it('checks again in the runner for the device auto chose: a bundle that fits only the GPU is refused on CPU before loading', async () => {
    const start = vi.spyOn(RunnerProcess, 'start');
    try {
      const refused = await refusal(createOnnxAdapter({ modelDir: FIXTURE, timeoutMs: 30_000, memoryLimitMb: 1024, device: 'auto', planPromptTokens: 16_384 }));
      expect(start).toHaveBeenCalledTimes(1); // the parent's GPU guess let it through
      expect(refused.code).toBe('resource_limit');
      expect(refused.message).toMatch(/needs about 4\.\d\d GiB of memory on CPU .* limit is 1\.00 GiB/);
    } finally {
      start.mockRestore();
    }
  });

  it('records the runner’s check (CPU), not the parent’s GPU guess, when the bundle fits', async () => {
    const adapter = await createOnnxAdapter({ modelDir: FIXTURE, timeoutMs: 30_000, memoryLimitMb: 1024, device: 'auto' });
    try {
      expect(adapter.runtimeInfo().device).toBe('cpu');
      expect(adapter.startInfo!().memory.note).toMatch(/host memory checked \(CPU/);
      expect(adapter.startInfo!().memory.gpu).toBeNull();
    } finally {
      await adapter.close();
    }
  });
});

describe('weights in chunked external data files (graphs over 2 GB)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = path.join(tmp, 'chunked');
    await writeTinyVlm(dir, {}, { externalDataChunks: 3 });
  });

  it('validates, counting every chunk in the weights', async () => {
    const chunks = (await readdir(path.join(dir, 'onnx'))).filter((f) => f.includes('.onnx_data')).sort();
    expect(chunks).toEqual(['decoder_model_merged.onnx_data', 'decoder_model_merged.onnx_data_1', 'decoder_model_merged.onnx_data_2']);
    const chunkBytes = (await Promise.all(chunks.map((c) => stat(path.join(dir, 'onnx', c))))).reduce((sum, s) => sum + s.size, 0);
    const report = await validateBundle(dir, { memoryLimitBytes: 64 * 1024 * 1024 });
    expect(report.problems).toEqual([]);
    expect(report.sessions.decoder_model_merged?.externalDataBytes).toBe(chunkBytes);
    expect(chunkBytes).toBeGreaterThan(90_000); // the decoder's weights moved out of the graph
    expect(report.onnxBytes).toBe(report.manifest!.declaredTotalBytes);
  });

  it('refuses a bundle missing a chunk that config.json declares', async () => {
    const broken = path.join(tmp, 'chunk-missing');
    await writeTinyVlm(broken, {}, { externalDataChunks: 2 });
    await rm(path.join(broken, 'onnx/decoder_model_merged.onnx_data_1'));
    const messages = (await validateBundle(broken, { memoryLimitBytes: 64 * 1024 * 1024 })).problems.map((p) => `${p.file} ${p.field}: ${p.message}`);
    expect(messages).toContain(
      'config.json transformers.js_config.use_external_data_format: declares 2 external data file(s) for onnx/decoder_model_merged.onnx, but "onnx/decoder_model_merged.onnx_data_1" is missing',
    );
  });

  it('loads through the runner on CPU and answers as the same weights inline do; load time, plan and peak memory are reported', async () => {
    const chunked = await createOnnxAdapter({ modelDir: dir, timeoutMs: 30_000, memoryLimitMb: 1024, device: 'cpu', memoryPollMs: 20 });
    const inline = await createOnnxAdapter({ modelDir: FIXTURE, timeoutMs: 30_000, memoryLimitMb: 1024, device: 'cpu' });
    try {
      const answer = await chunked.generateWithStats(question);
      expect(answer.newTokens).toBeGreaterThan(0);
      expect(answer.text).toBe(await inline.generate(question));
      const info = chunked.startInfo!();
      expect(info.loadMs).toBeGreaterThan(0);
      expect(info.memory.plan?.weightsBytes).toBe((await validateBundle(dir, { memoryLimitBytes: 1e9 })).onnxBytes);
      expect(info.memory.note).toMatch(/host memory checked \(CPU/);
      expect(chunked.peakResidentBytes!()).toBeGreaterThan(50 * 1024 * 1024);
      expect(chunked.peakResidentBytes!()).toBeLessThan(info.memory.plan!.totalBytes);
    } finally {
      await Promise.all([chunked.close(), inline.close()]);
    }
  });
});
