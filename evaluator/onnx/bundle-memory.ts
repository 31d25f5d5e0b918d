/**
 * Reads what the memory plan needs from an extracted bundle (the manifest, config.json and the sizes
 * of the files under onnx/) and checks the plan against the runner's limits before the model is loaded
 * (docs/decisions/212). I/O only; the arithmetic is in memory-plan.ts.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { EvaluationError } from '../errors';
import { readRegularFile } from './bundle-files';
import { gib, memoryRefusal, planMemory, textDimsFromConfig, weightFileBytes, DEFAULT_PLAN_PROMPT_TOKENS, type MemoryPlan } from './memory-plan';
import { MANIFEST_FILE_NAME, onnxManifestSchema } from './manifest';
import { queryGpuMemory, type GpuMemory } from './gpu-memory';

/** What was planned and checked at a runner start; recorded on the run (runtimeInfo.memory). */
export interface MemoryCheck {
  /** Null when the bundle could not be read for planning (the runner then reports what is wrong). */
  plan: MemoryPlan | null;
  hostLimitBytes: number;
  /** The GPU's memory when a GPU check was made; null when none (CPU, or nvidia-smi unavailable). */
  gpu: GpuMemory | null;
  /** What was compared, in words (e.g. why the GPU was not checked). */
  note: string;
}

async function filesUnder(dir: string, prefix: string): Promise<{ path: string; bytes: number }[]> {
  const out: { path: string; bytes: number }[] = [];
  for (const entry of await readdir(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = `${prefix}/${entry.name}`;
    if (entry.isDirectory()) out.push(...(await filesUnder(dir, rel)));
    else if (entry.isFile()) out.push({ path: rel, bytes: (await stat(path.join(dir, rel))).size });
  }
  return out;
}

/** The plan of a bundle folder, or why there is none. */
export async function planBundleMemory(
  modelDir: string,
  options: { promptTokens?: number; batchSize?: number } = {},
): Promise<{ plan: MemoryPlan } | { plan: null; reason: string }> {
  try {
    const manifest = onnxManifestSchema.parse(JSON.parse((await readRegularFile(path.join(modelDir, MANIFEST_FILE_NAME), 1024 * 1024)).toString('utf8')));
    const dims = textDimsFromConfig(JSON.parse((await readRegularFile(path.join(modelDir, 'config.json'), 4 * 1024 * 1024)).toString('utf8')));
    if ('missing' in dims) return { plan: null, reason: `config.json has no ${dims.missing}` };
    const { weightsBytes, largestGraphBytes } = weightFileBytes(await filesUnder(modelDir, 'onnx'), manifest.dtype);
    const plan = planMemory({
      weightsBytes,
      largestGraphBytes,
      dtype: manifest.dtype,
      dims,
      promptTokens: options.promptTokens ?? DEFAULT_PLAN_PROMPT_TOKENS,
      maxNewTokens: manifest.maxNewTokens,
      batchSize: options.batchSize,
    });
    return { plan };
  } catch (e) {
    return { plan: null, reason: `the bundle could not be read for planning (${(e as Error).message.slice(0, 200)})` };
  }
}

/**
 * Plans the bundle and refuses (EvaluationError 'resource_limit', no child started) when it cannot fit
 * (transient and the platform's fault when the GPU could hold it but other processes use it):
 * on CPU everything is in host memory; on a GPU the device memory is checked when nvidia-smi answers,
 * and the host's share against the runner's limit. `device` is the runner's choice ('auto' counts as a
 * GPU when nvidia-smi answers).
 */
export async function checkBundleMemory(
  modelDir: string,
  device: string,
  memoryLimitMb: number,
  options: { promptTokens?: number; batchSize?: number; gpuMemory?: () => Promise<GpuMemory | null> } = {},
): Promise<MemoryCheck> {
  const hostLimitBytes = memoryLimitMb * 1024 * 1024;
  const planned = await planBundleMemory(modelDir, options);
  if (!planned.plan) return { plan: null, hostLimitBytes, gpu: null, note: `not planned: ${planned.reason}` };
  const gpu = device === 'cpu' ? null : await (options.gpuMemory ?? queryGpuMemory)();
  const onGpu = device !== 'cpu' && (gpu !== null || device !== 'auto');
  const note = !onGpu
    ? `host memory checked (CPU: weights in host memory)`
    : gpu
      ? `GPU (${gib(gpu.freeBytes)} free of ${gib(gpu.totalBytes)}) and host memory checked`
      : `GPU memory unknown (nvidia-smi unavailable): host memory checked only`;
  const refusal = memoryRefusal(planned.plan, { hostLimitBytes, device: onGpu ? 'gpu' : 'cpu', gpuFreeBytes: gpu?.freeBytes ?? null, gpuTotalBytes: gpu?.totalBytes ?? null });
  if (refusal) throw new EvaluationError('resource_limit', refusal.message, refusal.gpuBusy ? { platformFault: true, transient: true } : {});
  return { plan: planned.plan, hostLimitBytes, gpu, note };
}
