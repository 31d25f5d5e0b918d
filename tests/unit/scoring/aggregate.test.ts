import { describe, expect, it } from 'vitest';
import { aggregateRun, combineParts } from '../../../evaluator/scoring/aggregate';
import { scoreItem, withJudge, type ItemScore, type ReportItemScore } from '../../../evaluator/scoring/item-score';
import { judgeIdentity } from '../../../evaluator/judge/config';
import { JUDGE, makeMcqItem, makeReportItem, scoredOutcome } from '../../support/scoring-fixtures';

/**
 * Per-part numbers and published totals of SpineBench (arXiv 2510.03160), as transcribed in the paper note at
 * https://en.papernotes.org/ICLR2026/medical_imaging/spinebench_a_clinically_salient_level-aware_benchmark_powered_by_the_spinemed-45/
 * (main-results table: closed-QA average over the 487 MCQ, report score over the 87 reports, total average).
 * GPT5's text/image split (87.41 / 79.97) is from the same note's text. Only rows whose numbers are consistent
 * with the paper's own formula are used; see docs/decisions/123 for the rows that are not, and for SpineGPT, whose
 * total fits from its three parts while its printed closed-QA average does not.
 */
const PAPER_ROWS: Array<{ model: string; mcq: number; report: number; total: number }> = [
  { model: 'Gemini-2.5-Pro', mcq: 88.5, report: 93.32, total: 89.23 },
  { model: 'GPT5-mini', mcq: 85.83, report: 93.56, total: 87.01 },
  { model: 'GPT5', mcq: 84.46, report: 91.6, total: 85.54 },
  { model: 'GLM-4.5V', mcq: 83.98, report: 79.24, total: 83.26 },
  { model: 'Qwen2.5-VL-72B', mcq: 82.75, report: 63.8, total: 79.88 },
];
const N_TEXT = 294;
const N_IMAGE = 193;
const N_REPORT = 87;
/** Inputs are published to 2 decimals, so a recomputed total may differ from the published one by rounding. */
const ROUNDING = 0.011;

describe('overall score as the paper defines it', () => {
  it.each(PAPER_ROWS)('reproduces the published total of $model', ({ mcq, report, total }) => {
    const overall = combineParts([
      { n: N_TEXT + N_IMAGE, score: mcq },
      { n: N_REPORT, score: report },
    ]);
    expect(Math.abs(overall - total)).toBeLessThanOrEqual(ROUNDING);
  });

  it('reproduces GPT5 from its three parts (text 87.41, image 79.97, report 91.60 → 85.54)', () => {
    const overall = combineParts([
      { n: N_TEXT, score: 87.41 },
      { n: N_IMAGE, score: 79.97 },
      { n: N_REPORT, score: 91.6 },
    ]);
    expect(Math.abs(overall - 85.54)).toBeLessThanOrEqual(ROUNDING);
    // and the text/image parts give the published closed-QA average 84.46
    expect(Math.abs(combineParts([{ n: N_TEXT, score: 87.41 }, { n: N_IMAGE, score: 79.97 }]) - 84.46)).toBeLessThanOrEqual(ROUNDING);
  });

  it('gets the same overall from item scores as from part scores (GPT5-sized run)', () => {
    // 257/294 text and 154/193 image items right, every report judged 91.6 → parts 87.41, 79.79, 91.6.
    const items = syntheticRun({ textRight: 257, imageRight: 154, reportScore: 91.6 });
    const agg = aggregateRun(items, { resamples: 200 });
    expect(agg.parts.text_mcq).toMatchObject({ n: N_TEXT });
    expect(agg.parts.text_mcq!.score).toBeCloseTo((100 * 257) / 294, 10);
    expect(agg.parts.image_mcq!.score).toBeCloseTo((100 * 154) / 193, 10);
    expect(agg.parts.report!.score).toBeCloseTo(91.6, 10);
    const expected = combineParts([
      { n: N_TEXT, score: agg.parts.text_mcq!.score },
      { n: N_IMAGE, score: agg.parts.image_mcq!.score },
      { n: N_REPORT, score: agg.parts.report!.score },
    ]);
    expect(agg.overall!.score).toBeCloseTo(expected, 10);
    // within discretisation of the published 85.54 (79.97% of 193 is not a whole number of items)
    expect(Math.abs(agg.overall!.score - 85.54)).toBeLessThan(0.1);
    expect(agg.mcq!.score).toBeCloseTo((100 * (257 + 154)) / 487, 10);
  });

  it('reproduces SpineGPT from its three parts (text 89.46, image 84.46, report 87.24 → 87.44)', () => {
    const overall = combineParts([
      { n: N_TEXT, score: 89.46 },
      { n: N_IMAGE, score: 84.46 },
      { n: N_REPORT, score: 87.24 },
    ]);
    expect(Math.abs(overall - 87.44)).toBeLessThanOrEqual(ROUNDING);
    // its printed closed-QA average (87.89) is the inconsistent cell: the parts give 87.48, and 87.89 would give 87.79
    const closedQa = combineParts([{ n: N_TEXT, score: 89.46 }, { n: N_IMAGE, score: 84.46 }]);
    expect(Math.abs(closedQa - 87.89)).toBeGreaterThan(0.4);
  });

  it.each([
    { model: 'MedGemma-27B', mcq: 82.34, report: 70.16, total: 76.66 },
    { model: 'Qwen2.5-VL-7B', mcq: 74.95, report: 54.52, total: 64.74 },
  ])('does not fit the printed total of $model (recorded in decision 123, not used above)', ({ mcq, report, total }) => {
    const overall = combineParts([{ n: N_TEXT + N_IMAGE, score: mcq }, { n: N_REPORT, score: report }]);
    expect(Math.abs(overall - total)).toBeGreaterThan(1);
  });

  it('refuses an empty combination', () => {
    expect(() => combineParts([])).toThrow(/no items/);
  });
});

describe('aggregateRun', () => {
  it('gives the same intervals for the same inputs in any order, and other intervals for another seed', () => {
    const items = syntheticRun({ textRight: 200, imageRight: 120, reportScore: 70 });
    const a = aggregateRun(items, { resamples: 500 });
    const b = aggregateRun([...items].reverse(), { resamples: 500 });
    expect(b).toEqual(a);
    const c = aggregateRun(items, { resamples: 500, seed: 7 });
    expect(c.overall!.ci).not.toEqual(a.overall!.ci);
    for (const s of [a.overall!, a.parts.text_mcq!, a.parts.image_mcq!]) {
      expect(s.ci[0]).toBeLessThan(s.score);
      expect(s.ci[1]).toBeGreaterThan(s.score);
    }
    // a 95% interval of a 294-item accuracy near 68% is about ±5 points
    const width = a.parts.text_mcq!.ci[1] - a.parts.text_mcq!.ci[0];
    expect(width).toBeGreaterThan(6);
    expect(width).toBeLessThan(15);
  });

  it('breaks down by every facet; an item with two modalities counts in both', () => {
    const items = [
      scoreItem(makeMcqItem({ id: 'a', inputKind: 'text', images: [], language: 'zh', levels: ['L4-L5'] }), 'B'),
      scoreItem(makeMcqItem({ id: 'b', images: [{ file: 'x.png', modality: 'ct', view: 'axial' }, { file: 'y.png', modality: 'mri', view: 'sagittal_t2' }] }), 'A'),
      scoreItem(makeMcqItem({ id: 'c', skill: 'pathology_assessment', pathology: 'stenosis', levels: ['L3-L4', 'L4-L5'], options: { A: 'Stenosis', B: 'Fracture' }, answer: 'A' }), 'A'),
    ];
    const agg = aggregateRun(items, { resamples: 100 });
    expect(agg.breakdowns.modality).toMatchObject({ text_only: { n: 1, score: 100 }, ct: { n: 1, score: 0 }, mri: { n: 2, score: 50 } });
    expect(agg.breakdowns.language).toMatchObject({ zh: { n: 1, score: 100 }, en: { n: 2, score: 50 } });
    expect(agg.breakdowns.skill).toMatchObject({ level_identification: { n: 2, score: 50 }, pathology_assessment: { n: 1, score: 100 } });
    expect(agg.breakdowns.level).toMatchObject({ 'L4-L5': { n: 3 }, 'L3-L4': { n: 1, score: 100 } });
    expect(agg.breakdowns.level['L4-L5'].score).toBeCloseTo(200 / 3, 10);
    expect(agg.breakdowns.pathology).toMatchObject({ stenosis: { n: 1 }, disc_herniation: { n: 2 } });
    expect(agg.breakdowns.region).toMatchObject({ lumbar: { n: 3 } });
    // level questions a and b only: a exact, b off by one (L3-L4 for L4-L5)
    expect(agg.levels).toMatchObject({ n: 2, exactRate: 0.5, offByOneRate: 0.5 });
    expect(agg.reportMethod).toBeNull();
  });

  it('counts answers with no or several options as "no answer"', () => {
    const items = ['B', 'A or C', '', 'I am not sure', 'C'].map((out, i) => scoreItem(makeMcqItem({ id: `m${i}` }), out));
    const agg = aggregateRun(items, { resamples: 50 });
    expect(agg.noAnswer).toEqual({ count: 3, ambiguous: 1, none: 2, rate: 0.6 });
    expect(agg.parts.image_mcq!.score).toBe(20);
  });

  it('leaves reports without a valid judge score out, lists them, and shows the deterministic score beside', () => {
    const item = (id: string) => makeReportItem({ id });
    const judged = (id: string, score: number) => withJudge(scoreItem(item(id), 'Diagnosis: L4-L5 herniation') as ReportItemScore, scoredOutcome(score));
    const malformed = withJudge(scoreItem(item('r3'), 'Diagnosis: L4-L5') as ReportItemScore, {
      status: 'malformed', judge: judgeIdentity(JUDGE), attempts: 3, problems: ['x'], lastContent: '',
    });
    const noOutput = scoreItem(item('r4'), null);
    const agg = aggregateRun([judged('r1', 3), judged('r2', 5), malformed, noOutput], { resamples: 50 });
    expect(agg.reportMethod).toBe('judge');
    expect(agg.judge).toEqual(judgeIdentity(JUDGE));
    // r1 = 60, r2 = 100, r4 = 20 (no output is the judge scale's floor, decision 127), r3 left out
    expect(agg.parts.report).toMatchObject({ n: 3, score: 180 / 3 });
    expect(agg.unscored).toEqual({ count: 1, itemIds: ['r3'] });
    expect(agg.reportDeterministic!.n).toBe(4);
    expect(agg.overall!.score).toBeCloseTo(180 / 3, 10);
  });

  it('labels a run without a judge as deterministic', () => {
    const agg = aggregateRun([scoreItem(makeReportItem(), 'Diagnosis: L4-L5 disc herniation')], { resamples: 50 });
    expect(agg.reportMethod).toBe('deterministic');
    expect(agg.judge).toBeNull();
    expect(agg.parts.report!.score).toBeCloseTo(agg.reportDeterministic!.score, 10);
  });

  it('refuses duplicates, other scorer versions and mixed judges', () => {
    const one = scoreItem(makeMcqItem(), 'B');
    expect(() => aggregateRun([one, one])).toThrow(/scored twice/);
    expect(() => aggregateRun([{ ...one, scorerVersion: 'scorer-0' }])).toThrow(/re-score/);
    const a = withJudge(scoreItem(makeReportItem({ id: 'r1' }), 'x') as ReportItemScore, scoredOutcome(3));
    const b = withJudge(scoreItem(makeReportItem({ id: 'r2' }), 'x') as ReportItemScore, scoredOutcome(3, 'other-judge'));
    expect(() => aggregateRun([a, b])).toThrow(/different judge configurations/);
  });
});

/** A SpineBench-sized run: 294 text MCQ, 193 image MCQ, 87 reports with a fixed judge score. */
function syntheticRun(o: { textRight: number; imageRight: number; reportScore: number }): ItemScore[] {
  const out: ItemScore[] = [];
  for (let i = 0; i < N_TEXT; i++) out.push(scoreItem(makeMcqItem({ id: `t${i}`, inputKind: 'text', images: [] }), i < o.textRight ? 'B' : 'C'));
  for (let i = 0; i < N_IMAGE; i++) out.push(scoreItem(makeMcqItem({ id: `i${i}` }), i < o.imageRight ? 'B' : 'A'));
  const rating = o.reportScore / 20; // every dimension equal → report score = 20 × rating
  for (let i = 0; i < N_REPORT; i++) {
    const base = scoreItem(makeReportItem({ id: `r${i}` }), 'Diagnosis: L4-L5') as ReportItemScore;
    const outcome = scoredOutcome(1);
    if (outcome.status === 'scored') outcome.rubric = { ...outcome.rubric, score: 20 * rating };
    out.push(withJudge(base, outcome));
  }
  return out;
}
