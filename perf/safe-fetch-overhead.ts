/**
 * Cost of the guarded HTTP path (SSRF check + pinned pool + size cap + limiter + retry wrapper)
 * against a bare undici client, same requests, same concurrency, zero-latency loopback server.
 *
 *   npx tsx perf/safe-fetch-overhead.ts [requests=5000] [concurrency=16]
 *
 * Prints both times and the ratio guarded/bare (issue 5 goal for a whole run: <= 1.25).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { createRequestLimiter } from '../evaluator/net/limiter';
import { withRetries } from '../evaluator/net/retry';
import { createSafeFetcher } from '../evaluator/net/safe-fetch';

const requests = Number(process.argv[2] ?? 5000);
const concurrency = Number(process.argv[3] ?? 16);
const answer = JSON.stringify({ choices: [{ message: { role: 'assistant', content: 'B' } }] });
const payload = JSON.stringify({ model: 'm', temperature: 0, messages: [{ role: 'user', content: 'Which level? A) L4-L5 B) L5-S1' }] });

const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.setHeader('content-type', 'application/json');
    res.end(answer);
  });
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/chat/completions`;
const headers = { 'content-type': 'application/json', authorization: 'Bearer perf' };

interface Timing {
  wallMs: number;
  cpuMs: number;
}

/** Wall time, and CPU time of this process (client and server both live here; steadier on a busy machine). */
async function runPool(one: () => Promise<void>): Promise<Timing> {
  let next = 0;
  const started = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < requests) await one();
    }),
  );
  const used = process.cpuUsage(cpu);
  return { wallMs: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
}

async function bare(): Promise<Timing> {
  const agent = new Agent();
  try {
    return await runPool(async () => {
      const res = await request(url, { method: 'POST', headers, body: payload, dispatcher: agent });
      JSON.parse(await res.body.text());
    });
  } finally {
    await agent.close();
  }
}

async function guarded(): Promise<Timing> {
  const fetcher = createSafeFetcher({ allowList: ['127.0.0.1/32'] });
  const limiter = createRequestLimiter({ concurrency });
  try {
    return await runPool(async () => {
      const res = await withRetries(
        () => limiter.schedule(() => fetcher.fetch(url, { method: 'POST', headers, body: payload, timeoutMs: 120_000 })),
        { attempts: 3 },
      );
      JSON.parse(res.body);
    });
  } finally {
    await fetcher.close();
  }
}

await bare(); // warm-up (JIT, sockets)
await guarded();
const times = { bare: [] as Timing[], guarded: [] as Timing[] };
for (let round = 0; round < 5; round++) {
  times.bare.push(await bare());
  times.guarded.push(await guarded());
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`${requests} requests, concurrency ${concurrency}, median of 5 alternating rounds`);
for (const key of ['wallMs', 'cpuMs'] as const) {
  const b = median(times.bare.map((t) => t[key]));
  const g = median(times.guarded.map((t) => t[key]));
  console.log(`${key === 'wallMs' ? 'wall' : 'cpu '}: bare undici ${b.toFixed(0)} ms, guarded ${g.toFixed(0)} ms, ratio guarded/bare ${(g / b).toFixed(2)}`);
}
server.close();
