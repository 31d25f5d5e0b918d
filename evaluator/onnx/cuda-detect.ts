/**
 * Finds out whether onnxruntime-node can use the CUDA execution provider on this host. The npm
 * package ships without the CUDA provider (see docs/onnx-submissions.md, GPU workers): it counts as
 * available only when the provider library sits beside the binding AND a session actually opens on it.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { identityProbeModel } from './probe-model';

export interface CudaAvailability {
  available: boolean;
  reason?: string;
}

/** Folder holding onnxruntime_binding.node and, on GPU hosts, the provider libraries. */
export function onnxruntimeBindingDir(): string {
  const pkg = createRequire(import.meta.url).resolve('onnxruntime-node/package.json');
  return path.join(path.dirname(pkg), 'bin', 'napi-v6', process.platform, process.arch);
}

export async function detectCuda(): Promise<CudaAvailability> {
  if (process.platform !== 'linux' || process.arch !== 'x64') return { available: false, reason: `no CUDA build for ${process.platform}-${process.arch}` };
  const lib = path.join(onnxruntimeBindingDir(), 'libonnxruntime_providers_cuda.so');
  if (!existsSync(lib)) return { available: false, reason: 'CUDA execution provider library not installed' };
  try {
    const session = await ort.InferenceSession.create(identityProbeModel(), { executionProviders: ['cuda'] });
    await session.release();
    return { available: true };
  } catch (e) {
    return { available: false, reason: `CUDA execution provider failed to start: ${(e as Error).message.slice(0, 300)}` };
  }
}
