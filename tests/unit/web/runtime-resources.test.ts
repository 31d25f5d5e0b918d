import { describe, expect, it } from 'vitest';
import { describeRunResources } from '../../../app/utils/runtime-resources';

describe('run page: ONNX resources line', () => {
  it('shows load time, peak memory and the plan for the device used', () => {
    const memory = { plan: { totalBytes: 342_308_482, gpu: { deviceBytes: 20 * 1024 ** 3, hostBytes: 1 } } };
    expect(describeRunResources({ device: 'cpu', loadMs: 1234, peakRssBytes: 214_372_352, memory })).toBe(
      'Model loaded in 1.2 s; peak resident memory 0.20 GiB; planned 0.32 GiB.',
    );
    expect(describeRunResources({ device: 'cuda', loadMs: 95_000, memory })).toBe('Model loaded in 95.0 s; planned 20.0 GiB of GPU memory.');
  });

  it('says nothing for runs recorded before these fields, or a plan that could not be made', () => {
    expect(describeRunResources({ device: 'cpu', onnxruntimeVersion: '1.30.0' })).toBeNull();
    expect(describeRunResources({ device: 'cpu', memory: { plan: null, note: 'not planned' } })).toBeNull();
    expect(describeRunResources(null)).toBeNull();
  });
});
