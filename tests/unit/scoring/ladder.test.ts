import { describe, expect, it } from 'vitest';
import { DEFAULT_LADDER_Z, ladderDecision } from '../../../evaluator/scoring/ladder';

const n = 574;
const zeros = () => Array.from({ length: n }, () => 0);

describe('the Ladder: a new hidden run moves the board only past a significant paired gain', () => {
  it('releases a team\'s first run', () => {
    expect(ladderDecision([0, 1, 1], null, DEFAULT_LADDER_Z)).toEqual({ released: true, meanGain: null, threshold: null });
  });

  it('withholds a run that flips one item right (the one-item probe), whatever the item', () => {
    for (const item of [0, 17, n - 1]) {
      const probe = zeros();
      probe[item] = 1;
      const decision = ladderDecision(probe, zeros(), DEFAULT_LADDER_Z);
      expect(decision.released).toBe(false);
      expect(decision.meanGain).toBeCloseTo(1 / n, 12);
    }
  });

  it('withholds a handful of flips, releases a real improvement', () => {
    const flips = (k: number) => zeros().map((_, i) => (i < k ? 1 : 0));
    expect(ladderDecision(flips(3), zeros(), DEFAULT_LADDER_Z).released).toBe(false);
    expect(ladderDecision(flips(30), zeros(), DEFAULT_LADDER_Z).released).toBe(true);
    // Gains on some items, losses on others: only the net, beyond its noise, counts.
    const mixed = zeros().map((_, i) => (i < 40 ? 1 : 0));
    const best = zeros().map((_, i) => (i >= 20 && i < 55 ? 1 : 0));
    expect(ladderDecision(mixed, best, DEFAULT_LADDER_Z).released).toBe(false);
  });

  it('withholds an identical or worse run, and z = 0 turns the ladder off', () => {
    const some = zeros().map((_, i) => (i % 3 === 0 ? 1 : 0));
    expect(ladderDecision(some, some, DEFAULT_LADDER_Z).released).toBe(false);
    expect(ladderDecision(zeros(), some, DEFAULT_LADDER_Z).released).toBe(false);
    expect(ladderDecision(zeros(), some, 0).released).toBe(true);
  });

  it('refuses runs that are not paired on the same items', () => {
    expect(() => ladderDecision([1, 0], [1, 0, 1], 2)).toThrow(/paired/);
  });
});
