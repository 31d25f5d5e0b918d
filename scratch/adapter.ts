import { Agent, request } from 'undici';
import { createEndpointAdapter, buildChatRequest, chatCompletionsUrl } from '../evaluator/adapters/endpoint';
import { startBaselineServer } from '../evaluator/baselines/baseline-server';
import { createRequestLimiter } from '../evaluator/net/limiter';
import { buildMcqPrompt } from '../evaluator/prompt';
import { scoreItem } from '../evaluator/scoring';
const N = 5000;
const mk = (n: number): any => ({ id: `perf-${n}`, split: 'test', task: 'mcq', inputKind: 'text', language: 'en', question: `[perf ${n}] Which lumbar level is named in this synthetic note?`, options: { A: 'L1', B: 'L2', C: 'L3', D: 'L4', E: 'L5' }, answer: 'A', skill: 'level_identification', region: 'lumbar', pathology: 'none', levels: ['L1'], images: [], provenance: { source: 'perf', synthetic: true } });
const endpoint = await startBaselineServer();
const items = Array.from({ length: N }, (_, n) => mk(n));
const bodies = items.map((it) => JSON.stringify(buildChatRequest('always-a', buildMcqPrompt(it, []))));
async function bare() {
  const agent = new Agent({ connections: 16 }); const lim = createRequestLimiter({ concurrency: 16 });
  const t = performance.now();
  await Promise.all(bodies.map((body) => lim.schedule(async () => { const r = await request(chatCompletionsUrl(endpoint.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body, dispatcher: agent }); await r.body.json(); })));
  await agent.close(); return performance.now() - t;
}
async function adapter(score: boolean) {
  const a = createEndpointAdapter({ url: endpoint.url, model: 'always-a', timeoutMs: 10000, attempts: 3, allowList: ['127.0.0.1'] });
  const lim = createRequestLimiter({ concurrency: 16 });
  const t = performance.now();
  await Promise.all(items.map((it) => lim.schedule(async () => { const out = await a.generate(buildMcqPrompt(it, []), undefined); if (score) scoreItem(it, out); })));
  await a.close(); return performance.now() - t;
}
for (let r = 0; r < 4; r++) {
  const b = await bare(); const ad = await adapter(false); const sc = await adapter(true);
  console.log(`bare ${b.toFixed(0)}  adapter ${ad.toFixed(0)} (${(ad / b).toFixed(2)})  adapter+prompt+score ${sc.toFixed(0)} (${(sc / b).toFixed(2)})`);
}
await endpoint.close(); process.exit(0);
