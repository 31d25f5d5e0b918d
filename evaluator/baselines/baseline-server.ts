import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small OpenAI-compatible server on loopback that serves the platform's reference baselines.
 * `always-a` answers "A"; `random` answers a letter drawn from a hash of the question (reproducible).
 * They are real endpoints evaluated by the real worker, and labelled as baselines on the board.
 */
export const BASELINE_MODELS = ['always-a', 'random'] as const;
export type BaselineModel = (typeof BASELINE_MODELS)[number];

export function baselineAnswer(model: BaselineModel, userText: string): string {
  if (model === 'always-a') return 'A';
  const letters = (userText.match(/^[A-E]\. /gm) ?? []).map((l) => l[0]);
  const pool = letters.length > 0 ? letters : ['A', 'B', 'C', 'D'];
  const h = createHash('sha256').update(userText).digest();
  return pool[h[0] % pool.length];
}

function userTextOf(body: { messages?: Array<{ role: string; content: unknown }> }): string {
  const user = body.messages?.find((m) => m.role === 'user');
  if (typeof user?.content === 'string') return user.content;
  if (Array.isArray(user?.content)) return user.content.map((p: { text?: string }) => p.text ?? '').join('');
  return '';
}

/** `latencyMs` delays every answer, as a model would (perf scripts use it to model real endpoints). */
export async function startBaselineServer(port = 0, opts: { latencyMs?: number } = {}): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => (opts.latencyMs ? setTimeout(answer, opts.latencyMs) : answer()));
    function answer() {
      try {
        const body = JSON.parse(raw);
        if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) throw new Error('not found');
        if (!BASELINE_MODELS.includes(body.model)) throw new Error('unknown model');
        const content = baselineAnswer(body.model, userTextOf(body));
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            id: 'baseline',
            object: 'chat.completion',
            model: body.model,
            choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
          }),
        );
      } catch (e) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: (e as Error).message } }));
      }
    }
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}/v1`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
