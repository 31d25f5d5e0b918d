/**
 * The memory plan (evaluator/onnx/memory-plan.ts) against what a runner really uses: loads a model
 * through the platform's adapter, generates once, and prints the plan next to the runner's peak
 * resident memory (and the GPU's used memory before and after, when nvidia-smi answers). Run it on a
 * GPU host to calibrate the GPU side of the plan (docs/decisions/212).
 *
 *   npx tsx perf/onnx-memory-plan.ts [--model DIR] [--hidden 1024 --layers 8 --intermediate 4096]
 *        [--chunks 0] [--device cpu|cuda|auto] [--prompt-tokens 128] [--memory-mb 65536]
 *
 * Without --model, a tiny-VLM of the given size is generated (--chunks N: decoder weights in N
 * external data files).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { writeTinyVlm } from '../evaluator/onnx/fixture/make-tiny-vlm';
import { queryGpuMemory } from '../evaluator/onnx/gpu-memory';
import { gib } from '../evaluator/onnx/memory-plan';
import { createOnnxAdapter } from '../evaluator/onnx/onnx-adapter';
import type { DeviceChoice } from '../evaluator/onnx/runner-protocol';
import { solidPng } from '../tests/support/test-png';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const tmp = await mkdtemp(path.join(os.tmpdir(), 'onnx-memory-'));
try {
  let modelDir = arg('model', '');
  if (!modelDir) {
    modelDir = path.join(tmp, 'model');
    const dims = { hidden: Number(arg('hidden', '1024')), layers: Number(arg('layers', '8')), intermediate: Number(arg('intermediate', '4096')) };
    const chunks = Number(arg('chunks', '0'));
    await writeTinyVlm(modelDir, dims, chunks > 0 ? { externalDataChunks: chunks } : {});
  }
  const gpuBefore = await queryGpuMemory();
  const adapter = await createOnnxAdapter({
    modelDir,
    timeoutMs: 600_000,
    memoryLimitMb: Number(arg('memory-mb', '65536')),
    device: arg('device', 'cpu') as DeviceChoice,
    memoryPollMs: 20,
    planPromptTokens: Number(arg('prompt-tokens', '128')),
  });
  try {
    const afterLoad = await adapter.residentBytes!();
    const result = await adapter.generateWithStats({
      system: 'You are a spine specialist.',
      text: 'Which level is narrowed? A. L4-L5 B. L5-S1',
      images: [{ data: solidPng(64, 128, [180, 180, 180]), mimeType: 'image/png' }],
    });
    const gpuAfter = await queryGpuMemory();
    const { loadMs, memory } = adapter.startInfo!();
    const plan = memory.plan;
    console.log(`device ${adapter.runtimeInfo().device}; ${memory.note}; load ${loadMs} ms; ${result.newTokens} new tokens`);
    if (plan) {
      console.log(`plan: weights ${gib(plan.weightsBytes)}, KV ${gib(plan.kvCacheBytes)}, activations ${gib(plan.activationBytes)}, overhead ${gib(plan.overheadBytes)}`);
      console.log(`plan: CPU total ${gib(plan.totalBytes)} (${plan.totalBytes} B); GPU device ${gib(plan.gpu.deviceBytes)}, host ${gib(plan.gpu.hostBytes)}`);
    }
    console.log(`runner RSS after load ${afterLoad} B; peak ${adapter.peakResidentBytes!()} B (${gib(adapter.peakResidentBytes!())})`);
    if (gpuBefore && gpuAfter) console.log(`GPU used before ${gib(gpuBefore.usedBytes)}, after generate ${gib(gpuAfter.usedBytes)}`);
  } finally {
    await adapter.close();
  }
} finally {
  await rm(tmp, { recursive: true, force: true });
}
