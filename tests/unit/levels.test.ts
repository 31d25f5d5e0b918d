import { describe, expect, it } from 'vitest';
import {
  CANONICAL_SEGMENTS,
  CANONICAL_VERTEBRAE,
  canonicalizeLevel,
  compareLevels,
  isCanonicalLevel,
  levelDistance,
  parseLevels,
  regionOfLevel,
  segmentsBetween,
  vertebraIndex,
} from '../../benchmark/levels';

describe('vocabulary', () => {
  it('lists C1–C7, T1–T12, L1–L6, S1–S5, Co top to bottom', () => {
    expect(CANONICAL_VERTEBRAE).toHaveLength(7 + 12 + 6 + 5 + 1);
    expect(CANONICAL_VERTEBRAE.slice(0, 2)).toEqual(['C1', 'C2']);
    expect(CANONICAL_VERTEBRAE.slice(-8)).toEqual(['L5', 'L6', 'S1', 'S2', 'S3', 'S4', 'S5', 'Co']);
    expect(vertebraIndex('C1')).toBe(0);
    expect(vertebraIndex('T1')).toBe(7);
    expect(vertebraIndex('L5')).toBe(23);
    expect(vertebraIndex('S1')).toBe(25);
  });

  it('has the segments between neighbours, with both L5-S1 and the transitional L5-L6, L6-S1', () => {
    expect(CANONICAL_SEGMENTS[0]).toBe('C1-C2');
    for (const s of ['C7-T1', 'T12-L1', 'L4-L5', 'L5-S1', 'L5-L6', 'L6-S1']) expect(CANONICAL_SEGMENTS).toContain(s);
    expect(CANONICAL_SEGMENTS).not.toContain('S1-Co');
    expect(CANONICAL_SEGMENTS).toHaveLength(24 + 2); // 25 usual vertebrae C1..S1 → 24 discs, + L5-L6, L6-S1
  });

  it.each([
    ['L4', true], ['L4-L5', true], ['L5-S1', true], ['S1', true], ['Co', true], ['L6', true],
    ['S', false], ['l4', false], ['L4/5', false], ['L3-L5', false], ['C8', false], ['T13', false], ['S2', true], ['S6', false], ['S1-S2', false],
  ])('isCanonicalLevel(%s) = %s', (label, expected) => {
    expect(isCanonicalLevel(label)).toBe(expected);
  });

  it.each([
    ['L4', 'L4', 0], ['L4', 'L5', 1], ['L5', 'S1', 1], ['L4', 'S1', 2], ['L6', 'S1', 1], ['L5', 'L6', 1],
    ['L4-L5', 'L5-S1', 1], ['L4-L5', 'L3-L4', 1], ['L4-L5', 'L2-L3', 2], ['C7-T1', 'T1-T2', 1],
    ['T12-L1', 'L1-L2', 1], ['L5-S1', 'L6-S1', 0], ['L4-L5', 'L6-S1', 2], ['L4', 'L4-L5', 0.5], ['C1', 'Co', 29], ['S1', 'S2', 1],
  ])('levelDistance(%s, %s) = %s', (a, b, expected) => {
    expect(levelDistance(a, b)).toBe(expected);
    expect(levelDistance(b, a)).toBe(expected);
  });

  it('refuses non-canonical labels in distances', () => {
    expect(() => levelDistance('L4/5', 'L4')).toThrow(/canonical/);
  });

  it('expands ranges, skipping L6 unless named', () => {
    expect(segmentsBetween('L3', 'S1')).toEqual(['L3-L4', 'L4-L5', 'L5-S1']);
    expect(segmentsBetween('L6', 'L4')).toEqual(['L4-L5', 'L5-L6']);
  });

  it('knows regions and sorts top to bottom', () => {
    expect(regionOfLevel('C5-C6')).toBe('cervical');
    expect(regionOfLevel('T12-L1')).toBe('thoracic');
    expect(regionOfLevel('L5-S1')).toBe('lumbar');
    expect(regionOfLevel('S1')).toBe('sacral');
    expect(['L5-S1', 'L4', 'C2', 'L4-L5', 'T12'].sort(compareLevels)).toEqual(['C2', 'T12', 'L4', 'L4-L5', 'L5-S1']);
  });
});

describe('parseLevels', () => {
  it.each<[string, string[]]>([
    // vertebrae
    ['L4', ['L4']],
    ['compression fracture of T12', ['T12']],
    ['l1 burst fracture', ['L1']],
    ['C1 and C2', ['C1', 'C2']],
    ['L3, L4 and L5 vertebral bodies', ['L3', 'L4', 'L5']],
    ['S1 nerve root', ['S1']],
    ['transitional L6 vertebra', ['L6']],
    ['tip of the coccyx (Co)', ['Co']],
    // segments, every separator the parser reads (docs/decisions/100-level-vocabulary-and-parser.md)
    ['L4/5', ['L4-L5']],
    ['L4/L5', ['L4-L5']],
    ['L4-5', ['L4-L5']],
    ['L4-L5', ['L4-L5']],
    ['L4–L5', ['L4-L5']],
    ['L4—5', ['L4-L5']],
    ['L4 5', ['L4-L5']],
    ['L4~5', ['L4-L5']],
    ['L4 to L5', ['L4-L5']],
    ['L4L5', ['L4-L5']],
    ['disc herniation between L4 and L5', ['L4-L5']],
    ['Between C5 and C6.', ['C5-C6']],
    ['l4-l5', ['L4-L5']],
    ['l4/5 and l5/s1', ['L4-L5', 'L5-S1']],
    ['L5/S1', ['L5-S1']],
    ['L5-S1', ['L5-S1']],
    ['L5-S', ['L5-S1']],
    ['L5S1', ['L5-S1']],
    ['C5-C6', ['C5-C6']],
    ['C5/6', ['C5-C6']],
    ['C7-T1', ['C7-T1']],
    ['T11-12', ['T11-T12']],
    ['T12/L1', ['T12-L1']],
    ['L5-6 (transitional)', ['L5-L6']],
    ['L6-S1', ['L6-S1']],
    ['L5-L4', ['L4-L5']],
    ['L4-L4', ['L4']],
    // ranges mean segments
    ['L3-L5', ['L3-L4', 'L4-L5']],
    ['L3-5 laminectomy', ['L3-L4', 'L4-L5']],
    ['fusion from L4 to S1', ['L4-L5', 'L5-S1']],
    ['C3–C7 laminoplasty', ['C3-C4', 'C4-C5', 'C5-C6', 'C6-C7']],
    ['T12-L2', ['T12-L1', 'L1-L2']],
    ['between L3 and L5', ['L3-L4', 'L4-L5']],
    // Chinese
    ['腰4', ['L4']],
    ['腰椎4', ['L4']],
    ['第4腰椎压缩骨折', ['L4']],
    ['胸12', ['T12']],
    ['胸12椎体压缩性骨折', ['T12']],
    ['颈5', ['C5']],
    ['骶1', ['S1']],
    ['腰4/5', ['L4-L5']],
    ['腰4-5椎间盘突出', ['L4-L5']],
    ['腰4~5', ['L4-L5']],
    ['腰5骶1', ['L5-S1']],
    ['腰5/骶1', ['L5-S1']],
    ['颈5/6', ['C5-C6']],
    ['胸12腰1', ['T12-L1']],
    ['腰4与腰5之间', ['L4-L5']],
    ['腰3-5', ['L3-L4', 'L4-L5']],
    ['腰3、4、5椎体', ['L3', 'L4', 'L5']],
    ['腰4/5、腰5/骶1椎间盘突出', ['L4-L5', 'L5-S1']],
    ['ＬＳ４／５'.replace('ＬＳ', 'Ｌ'), ['L4-L5']], // full-width
    ['MRI示L4/5椎间盘突出', ['L4-L5']],
    // order of first mention, duplicates dropped
    ['L5-S1 worse than L4-L5; L5-S1 again', ['L5-S1', 'L4-L5']],
    ['T12 fracture, then L1/2 and T12 again', ['T12', 'L1-L2']],
  ])('%s → %j', (text, expected) => {
    expect(parseLevels(text)).toEqual(expected);
  });

  it.each<[string, string[]]>([
    // things that look like levels but are not
    ['sagittal T2 MRI', []],
    ['T2-weighted images', []],
    ['T2WI hyperintensity', []],
    ['T1 and T2 weighted images show L4-5 stenosis', ['L4-L5']],
    ['T1/T2-weighted sequences', []],
    ['T2 hyperintense signal at C5/6', ['C5-C6']],
    ['矢状位T2加权像示腰4/5椎间盘突出', ['L4-L5']],
    ['CT1 scanner', []],
    ['C8 radiculopathy', []],
    ['S6 is no level', []],
    ['L4 5 mm anterolisthesis', ['L4']],
    ['L4 - 5 mm slip', ['L4']],
    ['L4 5.2 mm', ['L4']],
    ['L4 6', ['L4']],
    ['co-morbidities', []],
    ['no level here', []],
    ['', []],
    ['T1 fracture with T2 involvement', ['T1', 'T2']],
    ['T1-T2 disc', ['T1-T2']],
  ])('%s → %j (false friends)', (text, expected) => {
    expect(parseLevels(text)).toEqual(expected);
  });
});

describe('canonicalizeLevel', () => {
  it.each<[string, string | null]>([
    ['L4', 'L4'], ['l4', 'L4'], [' L4/5 ', 'L4-L5'], ['L4-5', 'L4-L5'], ['L4–L5', 'L4-L5'], ['L5/S1', 'L5-S1'],
    ['腰4/5', 'L4-L5'], ['腰5骶1', 'L5-S1'], ['胸12', 'T12'], ['S', 'S1'], ['sacrum', 'S1'], ['Co', 'Co'],
    ['coccyx', 'Co'], ['between L4 and L5', 'L4-L5'], ['C7-T1', 'C7-T1'],
    ['L3-L5', null], ['L4 and L5', null], ['C8', null], ['S2', 'S2'], ['S6', null], ['L4 level', null], ['', null], ['X4', null],
  ])('%s → %s', (label, expected) => {
    expect(canonicalizeLevel(label)).toBe(expected);
  });
});
