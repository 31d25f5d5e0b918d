import { describe, expect, it } from 'vitest';
import type { OnnxAdapter, OnnxAdapterOptions } from '../../evaluator/onnx/onnx-adapter';
import { createOnnxAdapterCache } from '../../workers/onnx-adapter-cache';

/** A fake loader that records which models are loaded at any moment. */
function fakeLoader() {
  const loaded = new Set<string>();
  const closed: string[] = [];
  let maxLoaded = 0;
  const open = async (opts: OnnxAdapterOptions): Promise<OnnxAdapter> => {
    loaded.add(opts.modelDir);
    maxLoaded = Math.max(maxLoaded, loaded.size);
    return {
      generate: async () => `answer from ${opts.modelDir}`,
      generateWithStats: async () => ({ text: '', newTokens: 0, generateMs: 0, preprocessMs: 0 }),
      runtimeInfo: () => ({ device: 'cpu', onnxruntimeVersion: '1', transformersVersion: '4' }),
      runnerStarts: () => 1,
      close: async () => {
        loaded.delete(opts.modelDir);
        closed.push(opts.modelDir);
      },
    };
  };
  return { open, loaded, closed, maxLoaded: () => maxLoaded };
}

const opts = (modelDir: string): OnnxAdapterOptions => ({ modelDir, timeoutMs: 1000, memoryLimitMb: 100 });

describe('ONNX adapter cache', () => {
  it('keeps one model loaded across the shards it serves: closing a lease does not unload it', async () => {
    const fake = fakeLoader();
    const cache = createOnnxAdapterCache(fake.open);
    for (let shard = 0; shard < 3; shard++) {
      const lease = await cache.acquire('m1', opts('a'));
      expect(await lease.generate({ system: '', text: 'q', images: [] })).toBe('answer from a');
      await lease.close();
      await lease.close(); // idempotent
    }
    expect(cache.loads()).toBe(1);
    expect([...fake.loaded]).toEqual(['a']);
  });

  it('swaps to another model only after every lease on the current one ended, never holding two', async () => {
    const fake = fakeLoader();
    const cache = createOnnxAdapterCache(fake.open);
    const first = await cache.acquire('m1', opts('a'));
    let secondReady = false;
    const second = cache.acquire('m2', opts('b')).then((l) => ((secondReady = true), l));
    await new Promise((r) => setTimeout(r, 20));
    expect(secondReady).toBe(false);
    await first.close();
    const lease = await second;
    expect(await lease.generate({ system: '', text: 'q', images: [] })).toBe('answer from b');
    expect(fake.closed).toEqual(['a']);
    expect(fake.maxLoaded()).toBe(1);
    await lease.close();
    await cache.closeAll();
    expect(fake.loaded.size).toBe(0);
  });

  it('forgets a model that failed to load, so the next shard tries again', async () => {
    let attempts = 0;
    const fake = fakeLoader();
    const cache = createOnnxAdapterCache(async (o) => {
      if (++attempts === 1) throw new Error('load failed');
      return fake.open(o);
    });
    await expect(cache.acquire('m1', opts('a'))).rejects.toThrow('load failed');
    const lease = await cache.acquire('m1', opts('a'));
    expect(await lease.generate({ system: '', text: 'q', images: [] })).toBe('answer from a');
    expect(attempts).toBe(2);
  });
});
