import { describe, expect, it } from 'vitest';
import { MAX_RATED_REPORTS, parseRatingsFile } from '../../evaluator/calibration/ratings-file';
import { REPORT_DIMENSIONS } from '../../evaluator/scoring/report-rubric';

const ids = new Set(['r-1', 'r-2']);
const all = (v: number) => Object.fromEntries(REPORT_DIMENSIONS.map((d) => [d, v]));
const line = (o: Record<string, unknown>) => JSON.stringify(o);

describe('parseRatingsFile', () => {
  it('reads every line with its number, skipping blank lines', () => {
    const text = [line({ item_id: 'r-1', report: 'L4-L5 disc herniation.', ratings: all(4), rater: 'A' }), '', line({ item_id: 'r-2', report: 'x', ratings: all(2) })].join('\r\n');
    const result = parseRatingsFile(text, ids);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.ratings.map((r) => [r.line, r.itemId, r.rater, r.ratings.diagnosis])).toEqual([
      [1, 'r-1', 'A', 4],
      [3, 'r-2', null, 2],
    ]);
  });

  it('names the line and field of every problem and returns no ratings', () => {
    const text = [
      line({ item_id: 'r-1', report: 'ok', ratings: all(3) }),
      '{"item_id": "r-1", ',
      line({ item_id: 'nope', report: 'ok', ratings: all(3) }),
      line({ item_id: 'r-2', report: 'ok', ratings: { ...all(3), diagnosis: 6 } }),
      line({ item_id: 'r-2', report: '', ratings: { ...all(3), coverage: 2.5, tone: 3 }, extra: 1 }),
      '[1, 2]',
    ].join('\n');
    const result = parseRatingsFile(text, ids);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const where = result.problems.map((p) => `${p.line}:${p.field ?? '-'}`);
    expect(where).toEqual(['2:-', '3:item_id', '4:ratings.diagnosis', '5:extra', '5:report', '5:ratings.tone', '5:ratings.coverage', '6:-']);
    expect(result.problems.find((p) => p.field === 'ratings.diagnosis')!.message).toMatch(/integer from 1 to 5, got 6/);
    expect(result.problems.find((p) => p.field === 'item_id')!.message).toMatch(/"nope" is not a report item/);
  });

  it('requires all ten dimensions', () => {
    const { imaging_report: _, ...nine } = all(3);
    const result = parseRatingsFile(line({ item_id: 'r-1', report: 'ok', ratings: nine }), ids);
    expect(result).toEqual({ ok: false, problems: [{ line: 1, field: 'ratings.imaging_report', message: 'missing' }] });
  });

  it('refuses an empty file and an oversized one', () => {
    expect(parseRatingsFile('\n\n', ids)).toEqual({ ok: false, problems: [{ line: 1, field: null, message: 'the file holds no ratings' }] });
    const many = Array.from({ length: MAX_RATED_REPORTS + 1 }, () => line({ item_id: 'r-1', report: 'ok', ratings: all(3) })).join('\n');
    const result = parseRatingsFile(many, ids);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]).toMatchObject({ line: MAX_RATED_REPORTS + 1, field: null });
  });
});
