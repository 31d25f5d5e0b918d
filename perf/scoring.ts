/**
 * Scoring throughput against reading: writes 100k stored item outputs (SpineBench mix: 294 text MCQ, 193 image
 * MCQ, 87 reports per run) to a JSONL file, then times (1) reading and parsing the file and (2) scoring every
 * output with scoreItem, and prints score/read. Aggregation of one 574-item run is timed apart.
 *
 * With a Postgres reachable at PERF_DATABASE_URL (default: the test database), the same rows are also read back
 * from a temporary table, the way a re-score job reads stored raw outputs, and that ratio is printed too.
 *
 *   npx tsx perf/scoring.ts [count]
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import type { Item } from '../benchmark/item-schema';
import { aggregateRun, scoreItem, type ItemScore } from '../evaluator/scoring';
import { seededRandom } from '../evaluator/scoring/bootstrap';
import { makeMcqItem, makeReportItem } from '../tests/support/scoring-fixtures';

const COUNT = Number(process.argv[2] ?? 100_000);
const TRIALS = 3;
const random = seededRandom(42);

const LEVEL_OPTIONS = { A: 'L3-L4', B: 'L4-L5', C: 'L5-S1', D: 'L2-L3' } as const;
const items: Item[] = [
  ...Array.from({ length: 294 }, (_, i) => makeMcqItem({ id: `t${i}`, inputKind: 'text', images: [], options: { ...LEVEL_OPTIONS }, answer: 'B' })),
  ...Array.from({ length: 193 }, (_, i) => makeMcqItem({ id: `i${i}` })),
  ...Array.from({ length: 87 }, (_, i) => makeReportItem({ id: `r${i}` })),
];
const byId = new Map(items.map((i) => [i.id, i]));

const MCQ_OUTPUTS = [
  'B',
  'Answer: C',
  'The answer is B) L4-L5',
  '**B**',
  'Looking at the sagittal T2-weighted image, the disc at L4-L5 protrudes posteriorly and compresses the thecal sac. Option A (L3-L4) appears normal, and option C shows mild desiccation only. Therefore, the answer is B.',
  '<think>Count from the sacrum: S1, L5, L4. The herniation sits at the L4-L5 disc.</think>\nFinal answer: B',
  '答案：B',
  'A or B',
  'I cannot determine the level from this image.',
];
const REPORT_OUTPUT = `## Structured findings
- L4-L5: left paracentral disc extrusion compressing the traversing L5 nerve root; moderate canal stenosis.
- L5-S1: disc desiccation with mild bulge; no root compression. Facet hypertrophy at L3-L4 and L4-L5.
## Diagnosis
Lumbar disc herniation at L4-5 with left L5 radiculopathy; degenerative disc disease L5/S1.
## Treatment advice
Patient: stay active, short course of NSAIDs, physiotherapy for six weeks. Evidence-based: microdiscectomy at L4-L5 if motor deficit progresses or pain persists beyond 6-12 weeks.
## Risk and prognosis
Favourable; 80-90% improve. Recurrent herniation 5-15%. Dural tear 1-3%.
## Post-operative management
Early mobilisation on day 0-1, avoid heavy lifting for 6 weeks, core stabilisation from week 4.
## Diagnostic basis
Radicular pain and weakness in the L5 distribution match the imaging finding at L4-L5.`;

const dir = mkdtempSync(join(tmpdir(), 'spinebench-perf-'));
const file = join(dir, 'outputs.jsonl');
try {
  const lines: string[] = [];
  for (let k = 0; k < COUNT; k++) {
    const item = items[k % items.length];
    const output = item.task === 'report' ? REPORT_OUTPUT : MCQ_OUTPUTS[(random() * MCQ_OUTPUTS.length) | 0];
    lines.push(JSON.stringify({ runId: `run-${Math.floor(k / items.length)}`, itemId: item.id, output }));
  }
  writeFileSync(file, lines.join('\n') + '\n');
  const bytes = Buffer.byteLength(lines.join('\n'));

  // Warm both paths once so JIT compilation is not charged to either side.
  warm();

  // The machine may be shared: each side is timed TRIALS times and the fastest is kept, for both alike.
  let stored: Array<{ runId: string; itemId: string; output: string }> = [];
  const readMs = fastest(() => {
    stored = readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { runId: string; itemId: string; output: string });
  });

  let checksum = 0;
  const scoreMs = fastest(() => {
    checksum = 0;
    for (const row of stored) checksum += scoreItem(byId.get(row.itemId)!, row.output).score ?? 0;
  });

  const runScores: ItemScore[] = items.map((item, k) => scoreItem(item, stored[k].output));
  const t2 = performance.now();
  aggregateRun(runScores);
  const aggregateMs = performance.now() - t2;

  const mcqRows = stored.filter((r) => !r.itemId.startsWith('r'));
  const mcqMs = fastest(() => {
    for (const row of mcqRows) scoreItem(byId.get(row.itemId)!, row.output);
  });

  const reportRows = stored.filter((r) => r.itemId.startsWith('r'));
  const reportMs = fastest(() => {
    for (const row of reportRows) scoreItem(byId.get(row.itemId)!, row.output);
  });

  console.log(`outputs: ${stored.length} (${(bytes / 1e6).toFixed(1)} MB JSONL; ${mcqRows.length} MCQ, ${stored.length - mcqRows.length} reports)`);
  console.log(`read+parse JSONL: ${readMs.toFixed(0)} ms`);
  console.log(`score all:        ${scoreMs.toFixed(0)} ms  (${((scoreMs * 1000) / stored.length).toFixed(1)} µs/output; checksum ${checksum.toFixed(0)})`);
  console.log(`  MCQ rows only:  ${mcqMs.toFixed(0)} ms  (${((mcqMs * 1000) / mcqRows.length).toFixed(1)} µs/output)`);
  console.log(`  report rows only: ${reportMs.toFixed(0)} ms  (${((reportMs * 1000) / reportRows.length).toFixed(1)} µs/output)`);
  console.log(`aggregate one 574-item run (2000 resamples, all breakdowns): ${aggregateMs.toFixed(0)} ms`);
  console.log(`ratio score/read (JSONL): ${(scoreMs / readMs).toFixed(1)}x`);

  const pgMs = await readFromPostgres(stored);
  if (typeof pgMs === 'number') {
    console.log(`read from Postgres (temp table, ${stored.length} rows): ${pgMs.toFixed(0)} ms`);
    console.log(`ratio score/read (Postgres): ${(scoreMs / pgMs).toFixed(1)}x`);
  } else console.log(`Postgres read skipped: ${pgMs}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

function fastest(run: () => void): number {
  let best = Infinity;
  for (let trial = 0; trial < TRIALS; trial++) {
    const t = performance.now();
    run();
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

function warm(): void {
  for (let k = 0; k < 2_000; k++) {
    const item = items[k % items.length];
    scoreItem(item, item.task === 'report' ? REPORT_OUTPUT : MCQ_OUTPUTS[k % MCQ_OUTPUTS.length]);
  }
  JSON.parse(JSON.stringify({ a: REPORT_OUTPUT }));
}

/** Loads the rows into a temporary table, then times reading them all back. Returns ms, or why it was skipped. */
async function readFromPostgres(rows: Array<{ runId: string; itemId: string; output: string }>): Promise<number | string> {
  const url = process.env.PERF_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const sql = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    await sql`create temporary table perf_item_outputs (run_id text not null, item_id text not null, raw_output text not null)`;
    for (let i = 0; i < rows.length; i += 5_000) {
      const batch = rows.slice(i, i + 5_000).map((r) => ({ run_id: r.runId, item_id: r.itemId, raw_output: r.output }));
      await sql`insert into perf_item_outputs ${sql(batch)}`;
    }
    await sql`select count(*) from perf_item_outputs`; // warm the connection and the table
    let best = Infinity;
    for (let trial = 0; trial < TRIALS; trial++) {
      const t = performance.now();
      const read = await sql`select run_id, item_id, raw_output from perf_item_outputs`;
      best = Math.min(best, performance.now() - t);
      if (read.length !== rows.length) return `read ${read.length} rows, expected ${rows.length}`;
    }
    return best;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await sql.end({ timeout: 5 });
  }
}
