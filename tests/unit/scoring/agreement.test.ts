import { describe, expect, it } from 'vitest';
import {
  agreementByKey,
  agreementOf,
  averageRanks,
  bootstrapPairedInterval,
  quadraticWeightedKappa,
  spearman,
} from '../../../evaluator/scoring/agreement';
import { seededRandom } from '../../../evaluator/scoring/bootstrap';

describe('averageRanks', () => {
  it('gives tied values the mean of the ranks they span', () => {
    expect(averageRanks([5, 6, 7, 8, 7])).toEqual([1, 2, 3.5, 5, 3.5]);
    expect(averageRanks([2, 2, 2])).toEqual([2, 2, 2]);
  });
});

describe('spearman', () => {
  it('matches the hand-computed value with ties', () => {
    // Ranks [1,2,3,4,5] and [1,2,3.5,5,3.5]: deviations [-2,-1,0,1,2] and [-2,-1,.5,2,.5];
    // Σdxdy = 8, Σdx² = 10, Σdy² = 9.5 → ρ = 8 / √95.
    expect(spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7])).toBeCloseTo(8 / Math.sqrt(95), 12);
  });

  it('is 1 for any increasing relation and −1 for a decreasing one', () => {
    expect(spearman([1, 2, 3, 4], [1, 4, 9, 16])).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3, 4], [5, 3, 2, 1])).toBeCloseTo(-1, 12);
  });

  it('is undefined (NaN) for a constant rater or fewer than two items', () => {
    expect(spearman([3, 3, 3], [1, 2, 3])).toBeNaN();
    expect(spearman([4], [4])).toBeNaN();
    expect(() => spearman([1, 2], [1])).toThrow(/2 ratings against 1/);
  });
});

describe('quadraticWeightedKappa', () => {
  it('matches the hand-computed value', () => {
    // Observed Σ(i−j)² = 1 (the pair 3↔4). Expected: marginals {1,2,3} × {1,2,4}, each cell 1/3:
    // Σ(i−j)² over the 9 cells = 10 + 5 + 6 = 21 → 7. κ = 1 − 1/7 = 6/7.
    expect(quadraticWeightedKappa([1, 2, 3], [1, 2, 4])).toBeCloseTo(6 / 7, 12);
  });

  it('is 1 for perfect agreement and −1 for the mirrored pair', () => {
    expect(quadraticWeightedKappa([1, 3, 5, 2], [1, 3, 5, 2])).toBe(1);
    // Observed 16 + 16 = 32; expected ½·16 + ½·16 = 16 → 1 − 2 = −1.
    expect(quadraticWeightedKappa([1, 5], [5, 1])).toBeCloseTo(-1, 12);
  });

  it('penalises a systematic offset that Spearman ignores', () => {
    const clinician = [1, 2, 3, 4, 5, 1, 2, 3];
    const judge = clinician.map((v) => Math.min(5, v + 1));
    expect(spearman(clinician, judge)).toBeGreaterThan(0.95);
    expect(quadraticWeightedKappa(clinician, judge)).toBeLessThan(0.9);
  });

  it('is undefined when both raters give one and the same rating', () => {
    expect(quadraticWeightedKappa([4, 4], [4, 4])).toBeNaN();
    expect(quadraticWeightedKappa([], [])).toBeNaN();
  });
});

describe('bootstrapPairedInterval', () => {
  const random = seededRandom(3);
  const clinician = Array.from({ length: 60 }, () => 1 + Math.floor(random() * 5));
  const judge = clinician.map((v) => Math.max(1, Math.min(5, v + (random() < 0.3 ? (random() < 0.5 ? -1 : 1) : 0))));

  it('holds the point estimate, stays within [−1, 1] and repeats exactly with the same seed', () => {
    const rho = spearman(clinician, judge);
    const ci = bootstrapPairedInterval(clinician, judge, spearman, { seed: 9 });
    expect(ci[0]).toBeLessThan(rho);
    expect(ci[1]).toBeGreaterThan(rho);
    expect(ci[0]).toBeGreaterThan(0.5);
    expect(ci[1]).toBeLessThanOrEqual(1);
    expect(bootstrapPairedInterval(clinician, judge, spearman, { seed: 9 })).toEqual(ci);
    expect(bootstrapPairedInterval(clinician, judge, spearman, { seed: 10 })).not.toEqual(ci);
  });

  it('narrows as more items are rated', () => {
    const width = (n: number) => {
      const ci = bootstrapPairedInterval(clinician.slice(0, n), judge.slice(0, n), quadraticWeightedKappa);
      return ci[1] - ci[0];
    };
    expect(width(60)).toBeLessThan(width(15));
  });

  it('is [1, 1] for perfect agreement and undefined for constant ratings or one item', () => {
    expect(bootstrapPairedInterval([1, 2, 3, 4, 5], [1, 2, 3, 4, 5], quadraticWeightedKappa)).toEqual([1, 1]);
    expect(bootstrapPairedInterval([3, 3, 3], [3, 3, 3], spearman)).toEqual([NaN, NaN]);
    expect(bootstrapPairedInterval([3], [4], spearman)).toEqual([NaN, NaN]);
  });
});

describe('agreementOf and agreementByKey', () => {
  it('reports n, both statistics and their intervals per key', () => {
    const pairs = [
      { a: { x: 1, y: 2 }, b: { x: 1, y: 2 } },
      { a: { x: 2, y: 3 }, b: { x: 2, y: 4 } },
      { a: { x: 3, y: 1 }, b: { x: 4, y: 1 } },
    ];
    const byKey = agreementByKey(['x', 'y'], pairs);
    expect(byKey.x.n).toBe(3);
    expect(byKey.x.kappa).toBeCloseTo(6 / 7, 12);
    expect(byKey.x.spearman).toBeCloseTo(1, 12);
    expect(byKey.y.spearman).toBeCloseTo(1, 12);
    expect(byKey.y.kappa).toBeCloseTo(quadraticWeightedKappa([2, 3, 1], [2, 4, 1]), 12);
    expect(agreementOf([1, 2, 3], [1, 2, 4]).kappa).toBeCloseTo(6 / 7, 12);
  });
});
