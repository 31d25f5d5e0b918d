import { describe, expect, it } from 'vitest';
import type { OnnxAdapter, OnnxAdapterOptions } from '../../evaluator/onnx/onnx-adapter';
import { metricsRegistry } from '../../workers/metrics';
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
      generateWithStats: async () => ({ text: `answer from ${opts.modelDir}`, newTokens: 3, generateMs: 5, preprocessMs: 1 }),
      generateBatch: async () => [],
      parallelCalls: opts.batchSize ?? 1,
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

  it('counts generated tokens and generate time for the ONNX throughput metric', async () => {
    const tokens = async () => (await metricsRegistry.getSingleMetric('spinebench_onnx_generated_tokens_total')!.get()).values[0]?.value ?? 0;
    const before = await tokens();
    const cache = createOnnxAdapterCache(fakeLoader().open);
    const lease = await cache.acquire('m1', opts('a'));
    await lease.generate({ system: '', text: 'q', images: [] });
    await lease.generate({ system: '', text: 'q', images: [] });
    expect((await tokens()) - before).toBe(6);
    await lease.close();
    await cache.closeAll();
  });

  it("passes on the adapter's batch size (parallelCalls) and counts a batched item's share of the batch time", async () => {
    const seconds = async () => (await metricsRegistry.getSingleMetric('spinebench_onnx_generate_seconds_total')!.get()).values[0]?.value ?? 0;
    const fake = fakeLoader();
    const cache = createOnnxAdapterCache(async (o) => ({
      ...(await fake.open(o)),
      generateWithStats: async () => ({ text: 'x', newTokens: 3, generateMs: 800, preprocessMs: 1, batchSize: 4 }),
    }));
    const lease = await cache.acquire('m1', { ...opts('a'), batchSize: 4 });
    expect(lease.parallelCalls).toBe(4);
    const before = await seconds();
    await lease.generate({ system: '', text: 'q', images: [] });
    expect((await seconds()) - before).toBeCloseTo(0.2);
    await lease.close();
    await cache.closeAll();
  });

  it('closes a model left idle for idleMs (its runner child ends), and loads it again when work comes', async () => {
    const fake = fakeLoader();
    const cache = createOnnxAdapterCache(fake.open, { idleMs: 30 });
    const lease = await cache.acquire('m1', opts('a'));
    await lease.close();
    await waitUntil(() => fake.closed.length === 1);
    expect(fake.closed).toEqual(['a']);
    expect(cache.reaped()).toBe(1);
    expect(cache.loadedKey()).toBeUndefined();
    const again = await cache.acquire('m1', opts('a'));
    expect(await again.generate({ system: '', text: 'q', images: [] })).toBe('answer from a');
    expect(cache.loads()).toBe(2);
    await again.close();
    await cache.closeAll();
  });

  it('never closes a model while a shard holds a lease on it, however long the shard takes', async () => {
    const fake = fakeLoader();
    const cache = createOnnxAdapterCache(fake.open, { idleMs: 10 });
    const first = await cache.acquire('m1', opts('a'));
    await first.close();
    // Taken again before the idle time ends: the pending close is called off.
    const busy = await cache.acquire('m1', opts('a'));
    await new Promise((r) => setTimeout(r, 60));
    expect(fake.closed).toEqual([]);
    expect(cache.reaped()).toBe(0);
    expect(await busy.generate({ system: '', text: 'q', images: [] })).toBe('answer from a');
    await busy.close();
    await waitUntil(() => cache.reaped() === 1);
    expect(fake.closed).toEqual(['a']);
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
