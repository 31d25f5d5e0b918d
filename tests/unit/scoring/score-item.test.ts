import { describe, expect, it } from 'vitest';
import {
  SCORER_VERSION,
  aggregateRun,
  listMetrics,
  getMetric,
  rescoreStoredItem,
  scoreItem,
  withJudge,
  type ReportItemScore,
} from '../../../evaluator/scoring';
import { judgeIdentity } from '../../../evaluator/judge';
import { makeMcqItem, makeReportItem } from '../../support/scoring-fixtures';

describe('scoreItem', () => {
  const mcq = makeMcqItem();

  it('scores an MCQ 1 or 0 with the letter, the reason and the level detail', () => {
    const right = scoreItem(mcq, 'The answer is B) L4-L5');
    expect(right).toMatchObject({ task: 'mcq', part: 'image_mcq', score: 1, scorerVersion: SCORER_VERSION, noOutput: false });
    expect(right.task === 'mcq' && right.detail).toMatchObject({ letter: 'B', reason: 'matched', levels: { errorClass: 'exact' } });

    const offByOne = scoreItem(mcq, 'C');
    expect(offByOne.score).toBe(0);
    expect(offByOne.task === 'mcq' && offByOne.detail.levels?.errorClass).toBe('off_by_one');

    const ambiguous = scoreItem(mcq, 'B or C');
    expect(ambiguous.task === 'mcq' && ambiguous.detail).toEqual({ letter: null, reason: 'ambiguous', levels: expect.objectContaining({ errorClass: 'no_level' }) });
  });

  it('has no level detail for a question that is not about levels', () => {
    const item = makeMcqItem({ skill: 'pathology_assessment', options: { A: 'Stenosis', B: 'Disc herniation' }, answer: 'B', inputKind: 'text', images: [] });
    const s = scoreItem(item, 'Disc herniation');
    expect(s).toMatchObject({ part: 'text_mcq', score: 1 });
    expect(s.task === 'mcq' && s.detail.levels).toBeNull();
  });

  it('scores a missing output as wrong and says so', () => {
    expect(scoreItem(mcq, null)).toMatchObject({ score: 0, noOutput: true, detail: { letter: null, reason: 'none' } });
    expect(scoreItem(makeReportItem(), null)).toMatchObject({ score: 0, noOutput: true, check: null, method: 'deterministic' });
  });

  it('scores a report deterministically, then with a stored judge outcome', () => {
    const report = scoreItem(makeReportItem(), 'Diagnosis: L4-L5 disc extrusion compressing the nerve root.') as ReportItemScore;
    expect(report.method).toBe('deterministic');
    expect(report.score).toBeCloseTo(report.check!.score, 10);
    const failed = withJudge(report, { status: 'failed', judge: judgeIdentity({ model: 'j', modelVersion: '1' }), attempts: 3, code: 'timeout', message: 'slow' });
    expect(failed).toMatchObject({ method: 'judge', score: null });
    expect(failed.check).toEqual(report.check);
  });
});

describe('rescoreStoredItem: the one re-scoring rule', () => {
  const mcq = makeMcqItem({ id: 'm1' });
  const report = makeReportItem({ id: 'r1' });

  it('re-scores a stored answer without any model or judge call, and says when nothing changed', () => {
    const stored = scoreItem(mcq, 'Answer: B');
    expect(rescoreStoredItem(mcq, 'Answer: B', stored, null)).toEqual({ next: stored, changed: false });
    const old = { ...stored, scorerVersion: 'mcq_choice.0', score: 0 };
    expect(rescoreStoredItem(mcq, 'Answer: B', old as typeof stored, null)).toEqual({ next: stored, changed: true });
  });

  it('keeps a report\'s judge outcome only when the current judge configuration made it', () => {
    const output = 'Findings: L4-L5 disc extrusion.';
    const judge = judgeIdentity({ model: 'j', modelVersion: '1' });
    const judged = scoreItem(report, output, { judge: { status: 'failed', judge, attempts: 3, code: 'timeout', message: 'slow' } });
    // Same judge configuration: the outcome stays, nothing to write.
    expect(rescoreStoredItem(report, output, judged, judge.configVersion)).toEqual({ next: judged, changed: false });
    // Another judge: the old outcome is dropped (the report is judged again later).
    const other = rescoreStoredItem(report, output, judged, 'another-judge');
    expect(other.changed).toBe(true);
    expect(other.next).toEqual(scoreItem(report, output));
  });
});

describe('metric registry and versions', () => {
  it('names every metric with a version, and SCORER_VERSION carries them', () => {
    const metrics = listMetrics();
    expect(metrics.map((m) => m.name)).toEqual(['mcq_choice', 'level_set', 'report_check']);
    for (const m of metrics) expect(SCORER_VERSION).toContain(`${m.name}.${m.version}`);
    expect(getMetric('mcq_choice').compute(makeMcqItem() as never, 'B')).toMatchObject({ letter: 'B', correct: true });
    expect(() => getMetric('bleu')).toThrow(/unknown metric "bleu"/);
  });
});
