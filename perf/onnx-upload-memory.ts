/**
 * Shows that ONNX uploads stream to disk: sends a 400 MB body through the chunked API (64 MB chunks) and
 * through the web form, and prints throughput and the web process's peak resident memory against its
 * memory before. `SKIP_BUILD` is irrelevant here; it needs a built app (npm run build).
 *   npx tsx perf/onnx-upload-memory.ts
 */
import { readFileSync } from 'node:fs';
import { startPlatform } from '../tests/support/processes';
const { baseUrl, proc } = await startPlatform({ extraEnv: { SEED_DEMO: '0', ONNX_UPLOAD_MAX_BYTES: String(2 * 1024 ** 3) } });
const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${proc.child.pid}/status`, 'utf8'))![1]) / 1024;
let peak = 0; const t = setInterval(() => (peak = Math.max(peak, rss())), 50);
const size = 400 * 1024 * 1024;
const body = Buffer.alloc(size, 1);
const before = rss();
let t0 = Date.now();
const id = (await (await fetch(new URL('/api/uploads', baseUrl), { method: 'POST', body: JSON.stringify({ totalBytes: size }) })).json()).id;
const chunk = 64 * 1024 * 1024;
for (let s = 0; s < size; s += chunk) {
  const e = Math.min(size, s + chunk) - 1;
  const r = await fetch(new URL(`/api/uploads/${id}`, baseUrl), { method: 'PUT', body: body.subarray(s, e + 1), headers: { 'content-range': `bytes ${s}-${e}/${size}` } });
  if (!r.ok) throw new Error(await r.text());
}
const apiMs = Date.now() - t0;
const apiPeak = peak; peak = 0;
await fetch(new URL(`/api/uploads/${id}`, baseUrl), { method: 'DELETE' });
t0 = Date.now();
const form = new FormData(); form.append('teamName', 'x'); form.append('archive', new Blob([body]), 'big.tar');
const r = await fetch(new URL('/submit/onnx', baseUrl), { method: 'POST', body: form });
const formMs = Date.now() - t0;
clearInterval(t);
console.log(JSON.stringify({ sizeMB: size / 2 ** 20, rssBeforeMB: before.toFixed(0), api: { ms: apiMs, MBps: (size / 2 ** 20 / (apiMs / 1000)).toFixed(0), peakRssMB: apiPeak.toFixed(0) }, form: { status: r.status, ms: formMs, MBps: (size / 2 ** 20 / (formMs / 1000)).toFixed(0), peakRssMB: peak.toFixed(0) } }));
await proc.stop();
