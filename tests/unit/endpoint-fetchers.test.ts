import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createEndpointAdapter } from '../../evaluator/adapters/endpoint';
import { closeSharedEndpointFetchers, sharedEndpointFetcher } from '../../workers/endpoint-fetchers';

const prompt = { system: 's', text: 'Which level? A. L4 B. L5', images: [] };
let server: http.Server | undefined;
afterEach(async () => {
  await closeSharedEndpointFetchers();
  await new Promise((resolve) => server?.close(resolve));
});

async function countingEndpoint() {
  let connections = 0;
  server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content: 'B' } }] }));
    });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, connections: () => connections };
}

describe('shared endpoint fetchers', () => {
  it('lets the adapters of successive shards reuse keep-alive connections', async () => {
    const endpoint = await countingEndpoint();
    const shards = 6;
    for (let shard = 0; shard < shards; shard++) {
      const adapter = createEndpointAdapter({ url: endpoint.url, model: 'm', timeoutMs: 2000, attempts: 1, fetcher: sharedEndpointFetcher(['127.0.0.1']) });
      expect(await adapter.generate(prompt)).toBe('B');
      expect(await adapter.generate(prompt)).toBe('B');
      await adapter.close(); // leaves the shared pool open
    }
    // An adapter with its own pool opens at least one connection per shard. (undici may open a second
    // connection while the first socket is being handed back to its pool, hence not exactly one.)
    expect(endpoint.connections()).toBeLessThanOrEqual(2);
  });

  it('keeps one fetcher per allow-list, so a wider list never serves a narrower one', async () => {
    expect(sharedEndpointFetcher(['127.0.0.1', '10.0.0.0/8'])).toBe(sharedEndpointFetcher(['10.0.0.0/8', '127.0.0.1']));
    expect(sharedEndpointFetcher([])).not.toBe(sharedEndpointFetcher(['127.0.0.1']));
    const endpoint = await countingEndpoint();
    const guarded = createEndpointAdapter({ url: endpoint.url, model: 'm', timeoutMs: 2000, attempts: 1, fetcher: sharedEndpointFetcher([]) });
    await expect(guarded.generate(prompt)).rejects.toMatchObject({ code: 'refused' });
    expect(endpoint.connections()).toBe(0);
  });
});
