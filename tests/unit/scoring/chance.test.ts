import { describe, expect, it } from 'vitest';
import { chanceLevel } from '../../../evaluator/scoring/chance';

describe('chanceLevel', () => {
  it('is 25% on four-option MCQs, and says so', () => {
    expect(chanceLevel([{ options: 4, items: 487 }])).toEqual({ value: 25, options: 4, label: 'chance 25% (4 options)' });
  });
  it('averages 100/k over items when option counts differ', () => {
    const c = chanceLevel([{ options: 4, items: 3 }, { options: 5, items: 1 }])!;
    expect(c.value).toBeCloseTo((3 * 25 + 20) / 4, 10);
    expect(c.options).toBeNull();
    expect(c.label).toBe('chance ≈ 23.8%');
  });
  it('has no chance line without multiple-choice items', () => {
    expect(chanceLevel([])).toBeNull();
    expect(chanceLevel([{ options: 1, items: 3 }])).toBeNull();
  });
});
