/**
 * Finds out whether onnxruntime-node can use its WebGPU execution provider (Dawn over Vulkan) here, by
 * opening a one-node session on it, and whether the adapter behind it is a real GPU. The npm binary
 * carries the provider; it needs only a Vulkan loader (libvulkan1) and a Vulkan driver. See
 * docs/onnx-submissions.md, "GPU workers", and docs/decisions/211-webgpu-device.md.
 */
import * as ort from 'onnxruntime-node';
import { describeGpuAdapter, hardwareGpuPresent, type GpuAdapterInfo } from './gpu-adapter-info';
import { identityProbeModel } from './probe-model';

export interface WebGpuAvailability {
  available: boolean;
  /** Why it cannot be used (when not available). */
  reason?: string;
  /** What the adapter is, as far as the host tells (when available). */
  adapter?: GpuAdapterInfo;
  /** A software Vulkan driver (lavapipe): it works, but is no faster than the CPU provider. */
  software?: boolean;
}

export async function detectWebGpu(): Promise<WebGpuAvailability> {
  try {
    const session = await ort.InferenceSession.create(identityProbeModel(), { executionProviders: ['webgpu'] });
    await session.release();
  } catch (e) {
    const message = (e as Error).message;
    // Dawn's text is long and starts with a source path; the last sentence says what failed.
    const reason = /Failed to get a WebGPU adapter[^\n]*/.exec(message)?.[0] ?? message.slice(0, 300);
    return { available: false, reason: `WebGPU execution provider failed to start: ${reason}` };
  }
  const adapter = await describeGpuAdapter();
  return { available: true, adapter, software: !hardwareGpuPresent() || adapter.software };
}
