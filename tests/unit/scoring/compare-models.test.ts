import { describe, expect, it } from 'vitest';
import { compareModels, MIN_SHARED_ITEMS, type CompareItem } from '../../../evaluator/scoring/compare-models';

/** 60 items: 40 text MCQ (level identification, lumbar level questions), 20 reports (surgical planning, MRI). */
function items(right: (i: number) => boolean, report: (i: number) => number | null): CompareItem[] {
  return Array.from({ length: 60 }, (_, i): CompareItem => {
    const id = `q${String(i).padStart(2, '0')}`;
    if (i < 40) {
      const ok = right(i);
      return { itemId: id, part: 'text_mcq', facets: { skill: 'level_identification', modalities: [], region: 'lumbar' }, value: ok ? 100 : 0, levelClass: ok ? 'exact' : 'off_by_one' };
    }
    return { itemId: id, part: 'report', facets: { skill: 'surgical_planning', modalities: ['mri'], region: i === 59 ? 'cervical' : 'lumbar' }, value: report(i), levelClass: null };
  });
}

describe('compareModels', () => {
  const a = { id: 'a', items: items((i) => i % 2 === 0, () => 60) };
  // B: right on every text item A got right plus 10 more; one report unscored (judge failed) that A has.
  const b = { id: 'b', items: items((i) => i % 2 === 0 || i < 20, (i) => (i === 45 ? null : 70)) };

  it('shows each model on its own items and pairs the difference over the items both have', () => {
    const rows = compareModels([a, b]);
    const overall = rows.find((r) => r.key === 'overall')!;
    expect(overall.models[0]!.n).toBe(60);
    expect(overall.models[1]!.n).toBe(59);
    const d = overall.diffs[0]!;
    if ('tooFew' in d) throw new Error('expected a difference');
    expect(d.n).toBe(59);
    // On the 59 shared items: A = (20·100 + 19·60)/59, B = (30·100 + 19·70)/59.
    expect(d.a).toBeCloseTo((2000 + 19 * 60) / 59, 10);
    expect(d.b).toBeCloseTo((3000 + 19 * 70) / 59, 10);
    expect(d.significant).toBe(true);
    expect(d.ci[0]).toBeGreaterThan(0);
  });

  it('has rows per part, skill, modality and level; rows without items are left out', () => {
    const keys = compareModels([a, b]).map((r) => r.key);
    expect(keys).toEqual(expect.arrayContaining(['text_mcq', 'report', 'skill_level_identification', 'skill_surgical_planning', 'modality_mri', 'modality_text_only', 'level_exact', 'level_exact_lumbar']));
    expect(keys).not.toContain('image_mcq');
    expect(keys).not.toContain('modality_ct');
    const level = compareModels([a, b]).find((r) => r.key === 'level_exact')!;
    expect(level.models.map((m) => m!.score)).toEqual([50, 75]);
  });

  it('shows no difference on fewer shared items than the minimum, and needs two models', () => {
    const cervical = compareModels([a, b]).find((r) => r.key === 'skill_surgical_planning')!;
    expect(cervical.diffs[0]).not.toHaveProperty('tooFew');
    const one = items(() => true, () => 50).slice(0, MIN_SHARED_ITEMS - 1);
    const tiny = compareModels([{ id: 'x', items: one }, { id: 'y', items: one }]).find((r) => r.key === 'overall')!;
    expect(tiny.diffs[0]).toEqual({ tooFew: MIN_SHARED_ITEMS - 1 });
    expect(() => compareModels([a])).toThrow(/two models/);
  });

  it('compares up to four models, each against the first', () => {
    const c = { id: 'c', items: items(() => false, () => 40) };
    const rows = compareModels([a, b, c]);
    const overall = rows.find((r) => r.key === 'overall')!;
    expect(overall.diffs).toHaveLength(2);
    const dc = overall.diffs[1]!;
    if ('tooFew' in dc) throw new Error('expected a difference');
    expect(dc.diff).toBeLessThan(0);
    expect(dc.significant).toBe(true);
  });
});

describe('compareModels strata', () => {
  it('resamples a slice as one stratum, so a row whose items fall one per part still varies', () => {
    // Level identification on three parts' worth of items: one right answer for A in text, four misses in image.
    const mk = (id: string, part: 'text_mcq' | 'image_mcq', v: number): CompareItem => ({ itemId: id, part, facets: { skill: 'level_identification', modalities: part === 'image_mcq' ? ['ct'] : [], region: 'lumbar' }, value: v, levelClass: null });
    const a = { id: 'a', items: [mk('t1', 'text_mcq', 100), ...['i1', 'i2', 'i3', 'i4'].map((id) => mk(id, 'image_mcq', 0))] };
    const b = { id: 'b', items: [mk('t1', 'text_mcq', 0), ...['i1', 'i2', 'i3', 'i4'].map((id) => mk(id, 'image_mcq', 0))] };
    const skill = compareModels([a, b]).find((r) => r.key === 'skill_level_identification')!.diffs[0]!;
    if ('tooFew' in skill) throw new Error('expected a difference');
    expect(skill.diff).toBe(-20);
    expect(skill.ci[0]).toBeLessThan(-20);
    expect(skill.ci[1]).toBe(0);
    expect(skill.significant).toBe(false);
  });
});
