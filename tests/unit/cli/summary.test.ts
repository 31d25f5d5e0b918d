import { describe, expect, it } from 'vitest';
import type { Item } from '../../../benchmark/item-schema';
import type { DevItemResult } from '../../../evaluator/cli/evaluate-dev-split';
import { itemLogRecord } from '../../../evaluator/cli/item-log';
import { buildSummary, formatSummary, levelErrorCounts } from '../../../evaluator/cli/summary';
import { aggregateRun, scoreItem } from '../../../evaluator/scoring';
import { makeMcqItem, makeReportItem } from '../../support/scoring-fixtures';

const items: Item[] = [
  makeMcqItem({ id: 'dev-1' }), // level question, answer B = L4-L5
  makeMcqItem({ id: 'dev-2' }),
  makeMcqItem({ id: 'dev-3' }),
  makeMcqItem({ id: 'dev-4', inputKind: 'text', images: [], skill: 'pathology_assessment', options: { A: 'Yes', B: 'No' }, answer: 'A', levels: [] }),
  makeReportItem({ id: 'dev-5' }),
];
const outputs: Array<string | null> = [
  'B', // exact
  'Answer: A', // L3-L4: off by one
  null, // failed call
  'A',
  '## Structured findings\nL4-L5 disc extrusion compressing the nerve root.\n## Diagnosis\nDisc herniation at L4-L5.',
];

function results(): DevItemResult[] {
  return items.map((item, i) => ({
    item,
    rawOutput: outputs[i],
    error: outputs[i] === null ? { code: 'timeout', message: 'The endpoint did not answer in time.' } : null,
    score: scoreItem(item, outputs[i]),
    elapsedMs: 10,
  }));
}

function summaryOf(r = results()) {
  return buildSummary({
    release: { name: 'SpineBench-Synth', version: '1.0.0-seed1', contentHash: `sha256:${'a'.repeat(64)}` },
    model: { kind: 'endpoint', url: 'http://127.0.0.1:8000/v1', model: 'qwen' },
    devTotal: 60,
    results: r,
    aggregate: aggregateRun(r.map((x) => x.score)),
  });
}

describe('buildSummary', () => {
  it('takes every number from the scorer aggregate', () => {
    const r = results();
    const aggregate = aggregateRun(r.map((x) => x.score));
    const s = summaryOf(r);
    expect(s.scores).toEqual({
      overall: aggregate.overall,
      textMcq: aggregate.parts.text_mcq,
      imageMcq: aggregate.parts.image_mcq,
      mcq: aggregate.mcq,
      report: aggregate.parts.report,
      reportCheck: aggregate.reportDeterministic,
    });
    expect(s.scores.imageMcq).toMatchObject({ n: 3, score: 100 / 3 });
    expect(s.scores.textMcq).toMatchObject({ n: 1, score: 100 });
    expect(s.items).toEqual({ evaluated: 5, devTotal: 60, failed: 1, failuresByCode: { timeout: 1 } });
    expect(s.noAnswer).toEqual(aggregate.noAnswer);
    expect(s.noAnswer.count).toBe(1);
  });

  it('counts level questions by error class', () => {
    expect(levelErrorCounts(results().map((r) => r.score))).toEqual({ n: 3, exact: 1, equivalent: 0, off_by_one: 1, worse: 0, no_level: 1 });
  });
});

describe('formatSummary', () => {
  it('prints each part with its item count, score and 95% interval', () => {
    const s = summaryOf();
    const text = formatSummary(s);
    const row = (label: string) => text.split('\n').find((l) => l.startsWith(label))!;
    const ci = (x: { ci: [number, number] }) => `[${x.ci[0].toFixed(1)}, ${x.ci[1].toFixed(1)}]`;
    expect(row('Overall')).toMatch(new RegExp(`^Overall\\s+5\\s+${s.scores.overall!.score.toFixed(1)}\\s+${escape(ci(s.scores.overall!))}$`));
    expect(row('Text MCQ')).toMatch(/^Text MCQ\s+1\s+100\.0\s+\[100\.0, 100\.0\]$/);
    expect(row('Image MCQ')).toMatch(new RegExp(`^Image MCQ\\s+3\\s+33\\.3\\s+${escape(ci(s.scores.imageMcq!))}$`));
    expect(row('Report')).toMatch(new RegExp(`^Report\\s+1\\s+${s.scores.report!.score.toFixed(1)}\\s+.*deterministic check \\(no judge\\)$`));
    expect(text).toContain('No answer (MCQ): 1 of 4 (1 named no option, 0 named several)');
    expect(text).toContain('Level questions: 3; exact 1 (33.3%), off by one 1 (33.3%), worse 0 (0.0%), no level named 1 (33.3%)');
    expect(text).toContain('Failed model calls: 1 (timeout 1)');
    expect(text).toContain('Items: 5 of 60 dev items');
    expect(text).toContain('endpoint http://127.0.0.1:8000/v1 (model "qwen")');
  });

  it('shows a dash for a part without items and no failure line when nothing failed', () => {
    const r = results().filter((x) => x.item.task === 'mcq' && x.rawOutput !== null);
    const text = formatSummary(summaryOf(r));
    expect(text.split('\n').find((l) => l.startsWith('Report'))).toMatch(/^Report\s+0\s+—\s+—/);
    expect(text).not.toContain('Failed model calls');
  });

  it('labels a judged report score and shows the deterministic check beside it', () => {
    const s = summaryOf();
    const judged = { ...s, reportMethod: 'judge' as const, judge: { model: 'gpt-4o', modelVersion: '2024-08-06', configVersion: 'x' } };
    const text = formatSummary(judged);
    expect(text).toMatch(/^Report \(judge\)\s+1\s+.*gpt-4o@2024-08-06$/m);
    expect(text).toMatch(/^Report check\s+1\s+/m);
  });
});

describe('itemLogRecord', () => {
  it('logs the raw output, the letter, the key and the score of an MCQ', () => {
    const [first, , failed] = results();
    expect(itemLogRecord(first)).toMatchObject({ itemId: 'dev-1', part: 'image_mcq', rawOutput: 'B', letter: 'B', answer: 'B', score: 1, levelErrorClass: 'exact', error: null });
    expect(itemLogRecord(failed)).toMatchObject({ rawOutput: null, letter: null, score: 0, error: { code: 'timeout' } });
  });

  it('logs the report check of a report', () => {
    const report = results()[4];
    const record = itemLogRecord(report);
    expect(record).toMatchObject({ itemId: 'dev-5', part: 'report', method: 'deterministic', judge: null });
    expect(record.check).toEqual(report.score.task === 'report' ? report.score.check : undefined);
    expect(record.score).toBe(report.score.score);
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
