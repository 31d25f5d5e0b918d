import { describe, expect, it } from 'vitest';
import { drawMultinomial, seededBinomial } from '../../../evaluator/scoring/binomial';
import { bootstrapMeanInterval } from '../../../evaluator/scoring/bootstrap';
import { seededRandom } from '../../../evaluator/scoring/random';
import { resampleMeans } from '../../../evaluator/scoring/resample';

const mean = (xs: ArrayLike<number>) => Array.from(xs).reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: ArrayLike<number>) => {
  const m = mean(xs);
  return Math.sqrt(Array.from(xs).reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
};

describe('seededBinomial', () => {
  // Small means go through inversion, large ones through BTRD, p > 0.5 through the mirror.
  it.each([
    [5000, 0.0004],
    [40, 0.1],
    [5000, 0.3],
    [5000, 0.93],
    [1, 0.5],
  ])('Binomial(%d, %d): integer draws in range with the right mean and variance', (n, p) => {
    const draw = seededBinomial(seededRandom(7));
    const draws = Array.from({ length: 20_000 }, () => draw(n, p));
    expect(draws.every((x) => Number.isInteger(x) && x >= 0 && x <= n)).toBe(true);
    const variance = n * p * (1 - p);
    // 5 standard errors of the sample mean; variance within 6%.
    expect(Math.abs(mean(draws) - n * p)).toBeLessThan(5 * Math.sqrt(variance / draws.length));
    expect(sd(draws) ** 2 / variance).toBeGreaterThan(0.94);
    expect(sd(draws) ** 2 / variance).toBeLessThan(1.06);
  });

  it('handles the degenerate cases without drawing', () => {
    const draw = seededBinomial(() => {
      throw new Error('no draw expected');
    });
    expect([draw(0, 0.5), draw(10, 0), draw(10, 1)]).toEqual([0, 0, 10]);
  });

  it('repeats exactly for the same seed', () => {
    const a = seededBinomial(seededRandom(3));
    const b = seededBinomial(seededRandom(3));
    const draws = (f: typeof a) => [f(5000, 0.3), f(100, 0.01), f(5000, 0.7), f(12, 0.5)];
    expect(draws(a)).toEqual(draws(b));
  });
});

describe('drawMultinomial', () => {
  it('splits exactly `total` picks over the categories, each near its expected share', () => {
    const draw = seededBinomial(seededRandom(11));
    const weights = [600, 300, 90, 10];
    const out = new Float64Array(4);
    const totals = new Float64Array(4);
    for (let r = 0; r < 2000; r++) {
      drawMultinomial(draw, weights, 1000, out);
      expect(out.reduce((a, b) => a + b, 0)).toBe(1000);
      out.forEach((c, j) => (totals[j] += c));
    }
    weights.forEach((w, j) => expect(totals[j] / 2000).toBeCloseTo(w, -0.5));
  });
});

describe('resampleMeans', () => {
  it('draws a 0/100 stratum by counts with the bootstrap distribution of its mean', () => {
    const n = 4000;
    const values = Array.from({ length: n }, (_, i) => (i % 10 < 7 ? 100 : 0));
    const [means] = resampleMeans([[values]], 4000, 5);
    expect(mean(means)).toBeCloseTo(70, 0);
    const expectedSd = Math.sqrt((70 * 30) / n);
    expect(sd(means) / expectedSd).toBeGreaterThan(0.94);
    expect(sd(means) / expectedSd).toBeLessThan(1.06);
  });

  it('draws a stratum of all-distinct values item by item, with the same distribution', () => {
    const values = Array.from(seededRandomValues(3000, 9));
    const [means] = resampleMeans([[values]], 4000, 5);
    const expectedSd = sd(values) / Math.sqrt(values.length);
    expect(mean(means)).toBeCloseTo(mean(values), 0);
    expect(sd(means) / expectedSd).toBeGreaterThan(0.94);
    expect(sd(means) / expectedSd).toBeLessThan(1.06);
  });

  it('keeps the pairing: identical series resample to identical means, by counts and by items', () => {
    const binary = Array.from({ length: 3000 }, (_, i) => (i % 3 === 0 ? 100 : 0));
    const continuous = Array.from(seededRandomValues(3000, 4));
    for (const values of [binary, continuous]) {
      const [a, b] = resampleMeans([[values, [...values]]], 200, 8);
      expect(Array.from(a)).toEqual(Array.from(b));
      expect(sd(a)).toBeGreaterThan(0);
    }
  });

  it('keeps stratum sizes: a stratum of constant values adds no spread', () => {
    const [means] = resampleMeans([[new Array(500).fill(100)], [new Array(500).fill(0)]], 300, 1);
    expect(new Set(means).size).toBe(1);
    expect(means[0]).toBe(50);
  });

  it('gives an interval that narrows with more items (bootstrapMeanInterval)', () => {
    const make = (n: number) => Array.from({ length: n }, (_, i) => (i % 2 ? 100 : 0));
    const [lo1, hi1] = bootstrapMeanInterval([make(400)]);
    const [lo2, hi2] = bootstrapMeanInterval([make(6400)]);
    expect(hi1 - lo1).toBeGreaterThan(3 * (hi2 - lo2));
    expect(lo2).toBeLessThan(50);
    expect(hi2).toBeGreaterThan(50);
  });
});

function* seededRandomValues(n: number, seed: number): Generator<number> {
  const random = seededRandom(seed);
  for (let i = 0; i < n; i++) yield random() * 100;
}
