import { describe, expect, it } from 'vitest';
import { calibrationForBoard } from '../../app/utils/judge-calibration-view.server';
import type { Database } from '../../db/client';
import { buildCalibrationRecord, type JudgedRating } from '../../evaluator/calibration/calibration-record';
import { parseRatingsFile } from '../../evaluator/calibration/ratings-file';
import { SYNTHETIC_RATER, syntheticRatingsJsonl } from '../../evaluator/calibration/synthetic-set';
import { REPORT_DIMENSIONS } from '../../evaluator/scoring/report-rubric';
import type { ReportItem } from '../../benchmark/item-schema';

const all = (v: number) => Object.fromEntries(REPORT_DIMENSIONS.map((d) => [d, v])) as Record<(typeof REPORT_DIMENSIONS)[number], number>;
const rating = (line: number, v: number) => ({ line, itemId: `r-${line}`, report: `secret report ${line}`, rater: null, ratings: all(v) });

describe('buildCalibrationRecord', () => {
  it('pairs only the reports the judge scored, keeps no report text, and stores undefined statistics as null', () => {
    const judged: JudgedRating[] = [
      { rating: rating(1, 1), status: 'scored', judge: all(1) },
      { rating: rating(2, 2), status: 'scored', judge: all(2) },
      { rating: rating(3, 3), status: 'scored', judge: { ...all(3), diagnosis: 4 } },
      { rating: rating(4, 5), status: 'failed', judge: null },
    ];
    const { ratings, agreement } = buildCalibrationRecord(judged, 'r.jsonl');
    expect(agreement.rated).toBe(4);
    expect(agreement.judged).toBe(3);
    expect(agreement.dimensions.diagnosis.n).toBe(3);
    expect(agreement.dimensions.diagnosis.kappa).toBeCloseTo(6 / 7, 12);
    expect(agreement.dimensions.coverage.kappa).toBe(1);
    expect(ratings.pairs.map((p) => p.status)).toEqual(['scored', 'scored', 'scored', 'failed']);
    expect(JSON.stringify(ratings)).not.toContain('secret report');

    const constant = buildCalibrationRecord([1, 2, 3].map((l) => ({ rating: rating(l, 3), status: 'scored' as const, judge: all(3) })), null);
    expect(constant.agreement.dimensions.diagnosis).toMatchObject({ spearman: null, kappa: null, spearmanInterval: [null, null] });
    expect(JSON.parse(JSON.stringify(constant.agreement))).toEqual(constant.agreement);
  });
});

describe('syntheticRatingsJsonl', () => {
  const items = Array.from({ length: 14 }, (_, i) => ({
    itemKey: `dev-report-${i}`,
    payload: {
      referenceReport: {
        structuredFindings: `findings ${i}`, diagnosis: 'L4-L5 herniation', treatmentAdvice: 'rest', riskPrognosis: 'good',
        postoperativeManagement: 'walk', diagnosticBasis: 'MRI',
      },
    } as unknown as ReportItem,
  }));

  it('is a valid upload of 12 reports, labelled synthetic, the same every time', () => {
    const text = syntheticRatingsJsonl(items);
    expect(syntheticRatingsJsonl(items)).toBe(text);
    const parsed = parseRatingsFile(text, new Set(items.map((i) => i.itemKey)));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.ratings).toHaveLength(12);
    expect(parsed.ratings.every((r) => r.rater === SYNTHETIC_RATER && /SYNTHETIC/.test(r.rater!))).toBe(true);
    // Reports with more sections left out get lower made-up ratings on average.
    const mean = (k: number) => {
      const rs = parsed.ratings.filter((_, i) => i % 4 === k).flatMap((r) => Object.values(r.ratings));
      return rs.reduce((a, b) => a + b, 0) / rs.length;
    };
    expect(mean(0)).toBeGreaterThan(mean(3));
  });
});

describe('calibrationForBoard', () => {
  it('says no judge is configured when the board was scored by the deterministic check, without a query', async () => {
    const noDb = {} as Database;
    expect(await calibrationForBoard(noDb, 1, { reportMethod: 'deterministic', judge: null })).toEqual({ state: 'no-judge' });
    expect(await calibrationForBoard(noDb, 1, null)).toEqual({ state: 'no-judge' });
  });
});
