/**
 * One line on the run page about an ONNX run's resources, from the runtime info the worker recorded
 * (workers/create-adapter.ts): model load time, peak resident memory of the runner, and the memory plan
 * checked before loading (docs/decisions/212). Null when none of them was recorded (older runs).
 */
const GiB = 1024 ** 3;
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const gib = (bytes: number) => `${(bytes / GiB).toFixed(bytes < GiB ? 2 : 1)} GiB`;

export function describeRunResources(info: unknown): string | null {
  if (!info || typeof info !== 'object') return null;
  const record = info as Record<string, unknown>;
  const memory = (record.memory && typeof record.memory === 'object' ? record.memory : {}) as Record<string, unknown>;
  const plan = (memory.plan && typeof memory.plan === 'object' ? memory.plan : {}) as Record<string, unknown>;
  const loadMs = num(record.loadMs);
  const peak = num(record.peakRssBytes);
  const planned = num(record.device === 'cuda' ? (plan.gpu as Record<string, unknown> | undefined)?.deviceBytes : plan.totalBytes);
  const parts: string[] = [];
  if (loadMs !== null) parts.push(`model loaded in ${(loadMs / 1000).toFixed(1)} s`);
  if (peak !== null) parts.push(`peak resident memory ${gib(peak)}`);
  if (planned !== null) parts.push(`planned ${gib(planned)}${record.device === 'cuda' ? ' of GPU memory' : ''}`);
  if (parts.length === 0) return null;
  const line = parts.join('; ');
  return `${line[0].toUpperCase()}${line.slice(1)}.`;
}
