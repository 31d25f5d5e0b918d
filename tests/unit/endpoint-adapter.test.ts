import { afterEach, describe, expect, it } from 'vitest';
import { createEndpointAdapter, readChatAnswer } from '../../evaluator/adapters/endpoint';
import type { ModelPrompt } from '../../evaluator/adapters/types';
import { EvaluationError } from '../../evaluator/errors';
import { startFakeEndpoint, type FakeEndpoint, type FakeReply } from '../support/fake-chat-endpoint';

const LOOPBACK = ['127.0.0.1'];

const prompt: ModelPrompt = {
  system: 'sys',
  text: 'Which level? A. L4 B. L5',
  images: [{ data: new Uint8Array([137, 80, 78, 71]), mimeType: 'image/png' }],
};

let endpoint: FakeEndpoint | undefined;
afterEach(async () => {
  await endpoint?.close();
  endpoint = undefined;
});

async function adapterFor(reply: (n: number) => FakeReply, opts: { timeoutMs?: number; attempts?: number; token?: string } = {}) {
  let n = 0;
  endpoint = await startFakeEndpoint(() => reply(++n));
  return createEndpointAdapter({ url: endpoint.url, model: 'm', timeoutMs: opts.timeoutMs ?? 2000, attempts: opts.attempts ?? 3, token: opts.token, allowList: LOOPBACK, retryBaseDelayMs: 50 });
}

async function failureOf(p: Promise<unknown>): Promise<EvaluationError> {
  const e = await p.then(() => null, (err) => err);
  expect(e).toBeInstanceOf(EvaluationError);
  return e as EvaluationError;
}

describe('endpoint adapter', () => {
  it('sends an OpenAI-compatible request: temperature 0, images as data URLs, bearer token', async () => {
    const adapter = await adapterFor(() => ({ content: 'B' }), { token: 'sekrit' });
    expect(await adapter.generate(prompt)).toBe('B');
    const req = endpoint!.requests[0];
    expect(req.body.temperature).toBe(0);
    expect(req.authorization).toBe('Bearer sekrit');
    const parts = req.body.messages[1].content;
    expect(parts[0]).toEqual({ type: 'text', text: prompt.text });
    expect(parts[1].image_url.url).toBe(`data:image/png;base64,${Buffer.from(prompt.images[0].data).toString('base64')}`);
  });

  it('retries transient HTTP errors with backoff, then succeeds', async () => {
    const adapter = await adapterFor((n) => (n < 3 ? { status: 503 } : { content: 'A' }));
    expect(await adapter.generate(prompt)).toBe('A');
    expect(endpoint!.requests).toHaveLength(3);
  });

  it('does not retry a client error and reports its status', async () => {
    const adapter = await adapterFor(() => ({ status: 401 }));
    const e = await failureOf(adapter.generate(prompt));
    expect(e.code).toBe('http_status');
    expect(e.message).toContain('401');
    expect(endpoint!.requests).toHaveLength(1);
  });

  it('types a garbage answer as malformed_response', async () => {
    const adapter = await adapterFor(() => ({ garbage: '<html>oops</html>' }));
    expect((await failureOf(adapter.generate(prompt))).code).toBe('malformed_response');
  });

  it('types a slow endpoint as timeout', async () => {
    const adapter = await adapterFor(() => ({ hangMs: 5000 }), { timeoutMs: 200, attempts: 2 });
    expect((await failureOf(adapter.generate(prompt))).code).toBe('timeout');
    expect(endpoint!.requests).toHaveLength(2);
  });

  it('types a closed port as unreachable', async () => {
    const adapter = createEndpointAdapter({ url: 'http://127.0.0.1:9/v1', model: 'm', timeoutMs: 1000, attempts: 1, allowList: LOOPBACK });
    expect((await failureOf(adapter.generate(prompt))).code).toBe('unreachable');
  });

  it('refuses a loopback endpoint that the operator did not allow, without connecting', async () => {
    const adapter = await adapterFor(() => ({ content: 'A' }));
    const guarded = createEndpointAdapter({ url: endpoint!.url, model: 'm', timeoutMs: 1000, attempts: 3 });
    const e = await failureOf(guarded.generate(prompt));
    expect(e.code).toBe('refused');
    expect(endpoint!.requests).toHaveLength(0);
    await adapter.close();
  });
});

describe('readChatAnswer', () => {
  it('drops U+0000, which Postgres text and jsonb cannot store, and keeps everything else', () => {
    expect(readChatAnswer({ choices: [{ message: { content: 'B\u0000 is\u0000 right ✓' } }] })).toBe('B is right ✓');
    expect(readChatAnswer({ choices: [{ message: { content: [{ type: 'text', text: 'A\u0000' }, { type: 'text', text: 'B' }] } }] })).toBe('AB');
  });
});
