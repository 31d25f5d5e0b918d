import { describe, expect, it } from 'vitest';
import { scoreLevelAnswer, scoreLevelSets, summarizeLevelScores, type LevelErrorClass } from '../../../evaluator/scoring/level-score';

// [model answer, true levels, error class, precision, recall]
const cases: Array<[string, string[], LevelErrorClass, number, number]> = [
  // exact, in the many ways models write levels
  ['L4-L5', ['L4-L5'], 'exact', 1, 1],
  ['The herniation is at L4/5.', ['L4-L5'], 'exact', 1, 1],
  ['l4-5 disc extrusion', ['L4-L5'], 'exact', 1, 1],
  ['Disc herniation at L4–L5 with left L5 root compression? No — the root is traversing.', ['L4-L5', 'L5'], 'exact', 1, 1],
  ['between L4 and L5', ['L4-L5'], 'exact', 1, 1],
  ['L5/S1', ['L5-S1'], 'exact', 1, 1],
  ['The lumbosacral disc, L5-S1, is herniated.', ['L5-S1'], 'exact', 1, 1],
  ['腰4/5椎间盘突出', ['L4-L5'], 'exact', 1, 1],
  ['腰5骶1节段', ['L5-S1'], 'exact', 1, 1],
  ['C5-6 and C6-7 spondylosis', ['C5-C6', 'C6-C7'], 'exact', 1, 1],
  ['Stenosis from L3 to L5.', ['L3-L4', 'L4-L5'], 'exact', 1, 1],
  ['L3-L5 fusion is indicated', ['L3-L4', 'L4-L5'], 'exact', 1, 1],
  ['T12 compression fracture', ['T12'], 'exact', 1, 1],
  ['Fracture of the L1 vertebral body.', ['L1'], 'exact', 1, 1],
  ['第1腰椎压缩性骨折', ['L1'], 'exact', 1, 1],
  ['Answer: B) L4-L5', ['L4-L5'], 'exact', 1, 1],
  ['**L4-L5**', ['L4-L5'], 'exact', 1, 1],
  ['Ｌ４－Ｌ５', ['L4-L5'], 'exact', 1, 1],
  ['T12-L1 junction', ['T12-L1'], 'exact', 1, 1],
  ['On sagittal T2 images, the L4-L5 disc is desiccated.', ['L4-L5'], 'exact', 1, 1],
  ['L4-L5, L4-L5 and again L4/5', ['L4-L5'], 'exact', 1, 1],
  ['<think>maybe L3-L4</think>The level is L4-L5.', ['L4-L5'], 'exact', 1, 1],
  // off by one: the wrong-level error
  ['L3-L4', ['L4-L5'], 'off_by_one', 0, 0],
  ['The herniation is at L5-S1.', ['L4-L5'], 'off_by_one', 0, 0],
  ['L4/5', ['L5-S1'], 'off_by_one', 0, 0],
  ['C6-7', ['C5-C6'], 'off_by_one', 0, 0],
  ['L2 burst fracture', ['L1'], 'off_by_one', 0, 0],
  ['T11 wedge fracture', ['T12'], 'off_by_one', 0, 0],
  ['L5', ['S1'], 'off_by_one', 0, 0],
  ['腰3/4', ['L4-L5'], 'off_by_one', 0, 0],
  ['T12-L1', ['L1-L2'], 'off_by_one', 0, 0],
  ['L4-L5 and L5-S1', ['L4-L5'], 'off_by_one', 0.5, 1],
  ['L4-L5', ['L4-L5', 'L5-S1'], 'off_by_one', 1, 0.5],
  ['L3-L4 and L4-L5', ['L4-L5', 'L5-S1'], 'off_by_one', 0.5, 0.5],
  ['L4', ['L4-L5'], 'off_by_one', 0, 0],
  ['The L5 nerve root at L4-L5', ['L4-L5'], 'off_by_one', 0.5, 1],
  ['C4-5, C5-6, C6-7', ['C5-C6'], 'off_by_one', 1 / 3, 1],
  ['L6-S1 in this transitional spine', ['L5-L6'], 'off_by_one', 0, 0],
  // worse
  ['L2-L3', ['L4-L5'], 'worse', 0, 0],
  ['C5-C6', ['L4-L5'], 'worse', 0, 0],
  ['T8 fracture', ['T12'], 'worse', 0, 0],
  ['L1-L2', ['L5-S1'], 'worse', 0, 0],
  ['L2-L5 stenosis', ['L4-L5'], 'worse', 1 / 3, 1],
  ['L4-L5 and C5-C6', ['L4-L5'], 'worse', 0.5, 1],
  ['L4-L5', ['L4-L5', 'L1-L2'], 'worse', 1, 0.5],
  ['腰1/2', ['L4-L5'], 'worse', 0, 0],
  ['S1', ['L4'], 'worse', 0, 0],
  ['L3', ['L5'], 'worse', 0, 0],
  ['C2 odontoid fracture', ['C1'], 'off_by_one', 0, 0],
  ['Co', ['S1'], 'worse', 0, 0], // the coccyx lies below S2–S5 (sacral levels beyond S1, decision 128)
  // no level named
  ['', ['L4-L5'], 'no_level', 0, 0],
  ['   ', ['L4-L5'], 'no_level', 0, 0],
  ['I cannot tell the level from this image.', ['L4-L5'], 'no_level', 0, 0],
  ['The lowest lumbar disc.', ['L4-L5'], 'no_level', 0, 0],
  ['T2-weighted images show a bulge.', ['L4-L5'], 'no_level', 0, 0],
  ['CT1 and MRI', ['L4-L5'], 'no_level', 0, 0],
  ['L7-S2', ['L5-S1'], 'worse', 0, 0], // L7 is no level; S2 is (decision 128)
  ['The disc bulges 4 mm.', ['L4-L5'], 'no_level', 0, 0],
  ['Answer: B', ['L4-L5'], 'no_level', 0, 0],
  ['Ｌ４', ['L4-L5'], 'off_by_one', 0, 0],
  // hostile
  ['L4-L5 '.repeat(5000), ['L4-L5'], 'exact', 1, 1],
  ['Levels: ' + ['C3-C4', 'C4-C5', 'C5-C6', 'C6-C7', 'T1-T2', 'L1-L2', 'L2-L3', 'L3-L4', 'L4-L5', 'L5-S1'].join(', '), ['L4-L5'], 'worse', 0.1, 1],
  ['L\u200B4-L5', ['L4-L5'], 'exact', 1, 1],
  ['Ь4-Ь5', ['L4-L5'], 'no_level', 0, 0], // Cyrillic soft sign, not L
];

describe('level scoring', () => {
  it('has a large table of real-looking answers', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
  });

  it.each(cases.map(([answer, truth, cls, p, r], i) => [i, answer.length > 60 ? answer.slice(0, 57) + '...' : answer, truth, cls, p, r, answer] as const))(
    '#%i %j vs %j → %s',
    (_i, _label, truth, cls, precision, recall, answer) => {
      const score = scoreLevelAnswer(answer, truth);
      expect(score.errorClass).toBe(cls);
      expect(score.exact).toBe(cls === 'exact');
      expect(score.precision).toBeCloseTo(precision, 10);
      expect(score.recall).toBeCloseTo(recall, 10);
      const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
      expect(score.f1).toBeCloseTo(f1, 10);
    },
  );

  it('reports the off-by-one rate apart from exact and worse', () => {
    const scores = cases.map(([answer, truth]) => scoreLevelAnswer(answer, truth));
    const summary = summarizeLevelScores(scores);
    const count = (cls: LevelErrorClass) => cases.filter((c) => c[2] === cls).length;
    expect(summary.n).toBe(cases.length);
    expect(summary.exactRate).toBeCloseTo(count('exact') / cases.length, 12);
    expect(summary.offByOneRate).toBeCloseTo(count('off_by_one') / cases.length, 12);
    expect(summary.worseRate).toBeCloseTo(count('worse') / cases.length, 12);
    expect(summary.noLevelRate).toBeCloseTo(count('no_level') / cases.length, 12);
    expect(summary.equivalentRate).toBeCloseTo(count('equivalent') / cases.length, 12);
    expect(summary.exactRate + summary.equivalentRate + summary.offByOneRate + summary.worseRate + summary.noLevelRate).toBeCloseTo(1, 12);
  });

  it('names a label that is not a level', () => {
    expect(() => scoreLevelSets(['L9'], ['L4-L5'])).toThrow(/named level "L9" is not a level label/);
    // a true label may belong to a hidden item: named by position, not quoted
    expect(() => scoreLevelSets(['L4-L5'], ['L4-L5', 'L9'])).toThrow(/^true level #1 is not a level label$/);
    expect(() => scoreLevelSets(['L4-L5'], [])).toThrow(/empty/);
  });

  it('summarises nothing as zeros', () => {
    expect(summarizeLevelScores([])).toMatchObject({ n: 0, exactRate: 0, offByOneRate: 0, f1: 0 });
  });
});
