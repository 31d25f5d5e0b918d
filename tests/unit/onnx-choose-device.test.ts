import { describe, expect, it } from 'vitest';
import { chooseDevice, type DeviceProbes } from '../../evaluator/onnx/choose-device';
import { describeFromIcds } from '../../evaluator/onnx/gpu-adapter-info';

const h100 = { name: 'NVIDIA H100 80GB HBM3', driver: 'NVIDIA 580.65', software: false, source: 'nvidia-smi' as const };
const lavapipe = { name: 'lavapipe (Mesa software Vulkan)', driver: 'Vulkan 1.4.305', software: true, source: 'vulkan-icd' as const };

/** Probes answering as a host would; each records that it was asked. */
function host(cuda: boolean, webgpu: 'gpu' | 'software' | 'none') {
  const asked: string[] = [];
  const probes: DeviceProbes = {
    cuda: async () => (asked.push('cuda'), cuda ? { available: true } : { available: false, reason: 'CUDA execution provider library not installed' }),
    webgpu: async () => {
      asked.push('webgpu');
      if (webgpu === 'none') return { available: false, reason: 'WebGPU execution provider failed to start: Failed to get a WebGPU adapter: No supported adapters' };
      return { available: true, adapter: webgpu === 'gpu' ? h100 : lavapipe, software: webgpu === 'software' };
    },
  };
  return { probes, asked };
}

describe('choosing the ONNX device', () => {
  it('auto takes CUDA first and asks nothing more', async () => {
    const { probes, asked } = host(true, 'gpu');
    expect(await chooseDevice('auto', probes)).toEqual({ device: 'cuda', skipped: [] });
    expect(asked).toEqual(['cuda']);
  });

  it('auto falls back to WebGPU on a hardware GPU, recording why CUDA was skipped', async () => {
    const { probes } = host(false, 'gpu');
    expect(await chooseDevice('auto', probes)).toEqual({
      device: 'webgpu',
      adapter: h100,
      skipped: [{ device: 'cuda', reason: 'CUDA execution provider library not installed' }],
    });
  });

  it('auto passes over a software Vulkan adapter and over a missing one, saying why, and runs on the CPU', async () => {
    const software = await chooseDevice('auto', host(false, 'software').probes);
    expect(software.device).toBe('cpu');
    expect(software.skipped[1]).toEqual({ device: 'webgpu', reason: expect.stringMatching(/only a software Vulkan adapter \(lavapipe.*no faster than the CPU/) });
    const none = await chooseDevice('auto', host(false, 'none').probes);
    expect(none.skipped.map((s) => s.device)).toEqual(['cuda', 'webgpu']);
    expect(none.skipped[1].reason).toMatch(/No supported adapters/);
  });

  it('an explicit device must work: webgpu takes a software adapter, and a missing one fails with the reason', async () => {
    const { probes, asked } = host(false, 'software');
    expect(await chooseDevice('webgpu', probes)).toEqual({ device: 'webgpu', adapter: lavapipe, skipped: [] });
    expect(asked).toEqual(['webgpu']);
    await expect(chooseDevice('webgpu', host(true, 'none').probes)).rejects.toThrow(/^WebGPU requested but unavailable: .*No supported adapters/);
    await expect(chooseDevice('cuda', host(false, 'gpu').probes)).rejects.toThrow(/^CUDA requested but unavailable: CUDA execution provider library not installed/);
  });

  it('cpu asks no probe', async () => {
    const { probes, asked } = host(true, 'gpu');
    expect(await chooseDevice('cpu', probes)).toEqual({ device: 'cpu', skipped: [] });
    expect(asked).toEqual([]);
  });
});

describe('naming the WebGPU adapter from the Vulkan drivers', () => {
  const lvp = { library: 'libvulkan_lvp.so', apiVersion: '1.4.305' };
  const radeon = { library: 'libvulkan_radeon.so', apiVersion: '1.4.305' };
  it('is lavapipe when no GPU device exists, even with other drivers installed', () => {
    expect(describeFromIcds([radeon, lvp], false)).toEqual(lavapipe);
  });
  it('names the hardware drivers when a GPU device exists', () => {
    expect(describeFromIcds([radeon, lvp], true)).toEqual({ name: 'Vulkan GPU (radeon driver)', driver: 'Vulkan 1.4.305', software: false, source: 'vulkan-icd' });
  });
  it('says unknown when there is no driver at all', () => {
    expect(describeFromIcds([], true).source).toBe('unknown');
  });
});
