/**
 * Picks the execution device for a runner: an explicit choice must work or the load fails with the
 * reason; `auto` tries CUDA, then WebGPU on a hardware GPU, then the CPU, each proven by opening a small
 * session, and records why each one before the chosen device was skipped (docs/decisions/211-webgpu-device.md).
 */
import type { CudaAvailability } from './cuda-detect';
import type { GpuAdapterInfo } from './gpu-adapter-info';
import type { Device, DeviceChoice, SkippedDevice } from './runner-protocol';
import type { WebGpuAvailability } from './webgpu-detect';

export interface DeviceProbes {
  cuda(): Promise<CudaAvailability>;
  webgpu(): Promise<WebGpuAvailability>;
}

export interface ChosenDevice {
  device: Device;
  adapter?: GpuAdapterInfo;
  skipped: SkippedDevice[];
}

export async function chooseDevice(choice: DeviceChoice, probes: DeviceProbes): Promise<ChosenDevice> {
  const skipped: SkippedDevice[] = [];
  if (choice === 'cpu') return { device: 'cpu', skipped };
  if (choice === 'cuda' || choice === 'auto') {
    const cuda = await probes.cuda();
    if (cuda.available) return { device: 'cuda', skipped };
    if (choice === 'cuda') throw new Error(`CUDA requested but unavailable: ${cuda.reason}`);
    skipped.push({ device: 'cuda', reason: cuda.reason ?? 'unavailable' });
  }
  const webgpu = await probes.webgpu();
  if (choice === 'webgpu') {
    if (!webgpu.available) throw new Error(`WebGPU requested but unavailable: ${webgpu.reason}`);
    return { device: 'webgpu', adapter: webgpu.adapter, skipped };
  }
  if (webgpu.available && !webgpu.software) return { device: 'webgpu', adapter: webgpu.adapter, skipped };
  skipped.push({
    device: 'webgpu',
    reason: webgpu.available
      ? `only a software Vulkan adapter (${webgpu.adapter?.name ?? 'no GPU device on this host'}), no faster than the CPU`
      : (webgpu.reason ?? 'unavailable'),
  });
  return { device: 'cpu', skipped };
}
