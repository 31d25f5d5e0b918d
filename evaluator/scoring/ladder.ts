/**
 * The Ladder (Blum and Hardt, "The Ladder: A Reliable Leaderboard for Machine Learning Competitions", ICML
 * 2015), in its parameter-free form: a team's new hidden-split run is released to the board only when it beats
 * the team's best released run on the same items by a significant margin — the mean paired gain must exceed
 * `z` standard errors of the paired differences. A run that changes one item's answer (the one-item probe of
 * docs/security.md) gains 1/n with a standard error of 1/n, so it never passes; a real improvement does.
 * Pure; docs/decisions/133-hidden-split-ladder.md.
 */

/** Standard errors a paired gain must exceed; 2 ≈ a one-sided test at 2.3%. */
export const DEFAULT_LADDER_Z = 2;

export interface LadderDecision {
  released: boolean;
  /** Mean per-item gain over the best run (0..1 scale); null for a team's first run. */
  meanGain: number | null;
  /** The gain the run had to exceed: z × standard error of the paired differences. */
  threshold: number | null;
}

/**
 * Whether a run is released: `scores` and `bestScores` are per-item scores (0..1, an errored item counts 0) of
 * the new run and of the team's best released run, paired by item (same length and order). No best run: the
 * first run of a team is released. `z <= 0` turns the ladder off (every run released).
 */
export function ladderDecision(scores: number[], bestScores: number[] | null, z: number): LadderDecision {
  if (!bestScores || z <= 0) return { released: true, meanGain: null, threshold: null };
  if (scores.length !== bestScores.length || scores.length < 2) throw new Error('ladderDecision: runs must be paired on the same items (at least 2).');
  const n = scores.length;
  const diffs = scores.map((s, i) => s - bestScores[i]);
  const mean = diffs.reduce((a, b) => a + b, 0) / n;
  const variance = diffs.reduce((a, d) => a + (d - mean) ** 2, 0) / (n - 1);
  const threshold = z * Math.sqrt(variance / n);
  // Strictly greater, and a gain of nothing is never an improvement (identical runs have zero variance).
  return { released: mean > threshold && mean > 0, meanGain: mean, threshold };
}
