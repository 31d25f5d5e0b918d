import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../evaluator/scoring/bootstrap';
import { pairedDifference } from '../../../evaluator/scoring/paired-difference';

/** n items of 0/100; model B equals A except on `flip` items (A right, B wrong) and `gain` items (A wrong, B right). */
function pair(n: number, pA: number, flip: number, gain: number, seed = 1) {
  const random = seededRandom(seed);
  const a = Array.from({ length: n }, () => (random() < pA ? 100 : 0));
  const b = [...a];
  let f = flip;
  let g = gain;
  for (let i = 0; i < n; i++) {
    if (f > 0 && a[i] === 100) (b[i] = 0), f--;
    else if (g > 0 && a[i] === 0) (b[i] = 100), g--;
  }
  return { a, b };
}

describe('pairedDifference', () => {
  it('gives b − a with a percentile interval that holds it, and the same answer every time', () => {
    const { a, b } = pair(400, 0.6, 4, 40);
    const d = pairedDifference([{ a, b }], 'overall')!;
    expect(d.n).toBe(400);
    expect(d.diff).toBeCloseTo(d.b - d.a, 12);
    expect(d.diff).toBeCloseTo(((40 - 4) / 400) * 100, 10);
    expect(d.ci[0]).toBeLessThan(d.diff);
    expect(d.ci[1]).toBeGreaterThan(d.diff);
    expect(d.significant).toBe(true);
    expect(pairedDifference([{ a, b }], 'overall')).toEqual(d);
  });

  it('pairing shrinks the interval: a small consistent gain is significant paired, though unpaired intervals overlap', () => {
    // B is A plus 12 right answers on 300 items: +4 points. Each model's own 95% interval is about ±5.5 points wide.
    const { a, b } = pair(300, 0.5, 0, 12, 7);
    const d = pairedDifference([{ a, b }], 'gain')!;
    expect(d.diff).toBeCloseTo(4, 10);
    expect(d.significant).toBe(true);
    expect(d.ci[0]).toBeGreaterThan(0);
    expect(d.ci[1] - d.ci[0]).toBeLessThan(6);
    // Shuffling B's values breaks the pairing: the same means, a much wider interval that holds 0.
    const random = seededRandom(3);
    const shuffled = [...b].sort(() => random() - 0.5);
    const unpaired = pairedDifference([{ a, b: shuffled }], 'gain')!;
    expect(unpaired.diff).toBeCloseTo(4, 10);
    expect(unpaired.ci[1] - unpaired.ci[0]).toBeGreaterThan(2 * (d.ci[1] - d.ci[0]));
    expect(unpaired.significant).toBe(false);
  });

  it('identical models differ by exactly 0, not significantly', () => {
    const { a } = pair(200, 0.7, 0, 0);
    const d = pairedDifference([{ a, b: a }], 'same')!;
    expect(d).toMatchObject({ diff: 0, ci: [0, 0], significant: false });
  });

  it('resamples within strata, keeping each part its size; the point difference is the item-weighted one', () => {
    const text = pair(300, 0.8, 0, 30, 2);
    const reports = { a: Array.from({ length: 50 }, (_, i) => 40 + (i % 5) * 10), b: Array.from({ length: 50 }, (_, i) => 45 + (i % 5) * 10) };
    const d = pairedDifference([text, reports], 'overall')!;
    expect(d.n).toBe(350);
    expect(d.diff).toBeCloseTo((30 * 100 + 50 * 5) / 350, 10);
    expect(d.significant).toBe(true);
  });

  it('refuses unpaired input and missing scores, and has nothing to say without items', () => {
    expect(() => pairedDifference([{ a: [100, 0], b: [100] }], 'x')).toThrow(/not paired/);
    expect(() => pairedDifference([{ a: [100, NaN], b: [100, 0] }], 'x')).toThrow(/finite/);
    expect(pairedDifference([{ a: [], b: [] }], 'x')).toBeNull();
  });
});
