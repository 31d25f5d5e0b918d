import { canonicalizeLevel, levelDistance, levelKind, parseLevels } from '../../benchmark/levels';
import { normalizeAnswerText } from './answer-text';

/**
 * How far a level answer is from the truth (docs/decisions/121-level-scoring.md): exact; equivalent (the same levels
 * numbered across transitional anatomy, docs/decisions/128); off by one (the classic wrong-level error); worse;
 * or no level named at all.
 */
export type LevelErrorClass = 'exact' | 'equivalent' | 'off_by_one' | 'worse' | 'no_level';

export interface LevelScore {
  predicted: string[];
  truth: string[];
  exact: boolean;
  precision: number;
  recall: number;
  f1: number;
  /**
   * Symmetric set distance in vertebra steps (Hausdorff, like compared with like): the largest distance
   * from any named level to the nearest true level and from any true level to the nearest named level.
   * null when nothing was named.
   */
  distance: number | null;
  errorClass: LevelErrorClass;
}

/**
 * Canonical, de-duplicated labels; a label that is not canonical is a caller bug and throws. A true label is
 * named by position only: it belongs to an item, possibly of the hidden split, and errors end up in logs.
 */
function canonicalSet(labels: readonly string[], what: 'true level' | 'named level'): string[] {
  const out = new Set<string>();
  labels.forEach((label, index) => {
    const canonical = canonicalizeLevel(label);
    if (canonical === null) {
      const shown = what === 'true level' ? `#${index}` : JSON.stringify(label);
      throw new Error(`${what} ${shown} is not a level label`);
    }
    out.add(canonical);
  });
  return [...out];
}

/** levelDistance memoised: the label vocabulary is small (≈60 labels), scoring calls it for every answer. */
const distanceCache = new Map<string, number>();
function cachedDistance(a: string, b: string): number {
  const key = `${a}|${b}`;
  let d = distanceCache.get(key);
  if (d === undefined) distanceCache.set(key, (d = levelDistance(a, b)));
  return d;
}

/** Distance from `level` to the nearest member of `set`, preferring members of the same kind. */
function distanceToSet(level: string, set: readonly string[]): number {
  const kind = levelKind(level);
  const sameKind = set.filter((other) => levelKind(other) === kind);
  const candidates = sameKind.length > 0 ? sameKind : set;
  let best = Infinity;
  for (const other of candidates) best = Math.min(best, cachedDistance(level, other));
  return best;
}

/**
 * Scores a set of named levels against the true set. Pure.
 * Off by one = not exact, and every named level is within one step of a true one and vice versa
 * (`L3-L4` for `L4-L5`, `L5` for `S1`, or an extra adjacent level). Worse = farther than that.
 */
export function scoreLevelSets(predictedLabels: readonly string[], truthLabels: readonly string[]): LevelScore {
  const truth = canonicalSet(truthLabels, 'true level');
  const predicted = canonicalSet(predictedLabels, 'named level');
  if (truth.length === 0) throw new Error('scoreLevelSets: the true level set is empty');

  const truthSet = new Set(truth);
  const hits = predicted.filter((l) => truthSet.has(l)).length;
  const precision = predicted.length === 0 ? 0 : hits / predicted.length;
  const recall = hits / truth.length;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  const exact = hits === truth.length && predicted.length === truth.length;

  if (predicted.length === 0) {
    return { predicted, truth, exact: false, precision, recall, f1, distance: null, errorClass: 'no_level' };
  }
  const distance = Math.max(
    ...predicted.map((p) => distanceToSet(p, truth)),
    ...truth.map((t) => distanceToSet(t, predicted)),
  );
  const errorClass: LevelErrorClass = exact
    ? 'exact'
    : transitionalEquivalent(predicted, truth)
      ? 'equivalent'
      : distance <= 1
        ? 'off_by_one'
        : 'worse';
  return { predicted, truth, exact, precision, recall, f1, distance, errorClass };
}

const namesL6 = (labels: readonly string[]) => labels.some((l) => /\bL6\b/.test(l));

/**
 * The same levels counted with and without a transitional sixth lumbar vertebra (docs/decisions/128): exactly
 * one side numbers the spine with an L6, and renumbering that side's lumbar levels to five lumbar vertebrae,
 * counted from the sacrum (L6 → L5, L5 → L4 …, so L6-S1 → L5-S1) or from the top (L6 → S1, L5-L6 → L5-S1),
 * gives the other side's set. Both sides naming L6 use one numbering, so a one-step difference stays off by one.
 */
function transitionalEquivalent(predicted: readonly string[], truth: readonly string[]): boolean {
  if (namesL6(predicted) === namesL6(truth)) return false;
  const [transitional, usual] = namesL6(predicted) ? [predicted, truth] : [truth, predicted];
  const usualSet = new Set(usual);
  return [fromSacrum, fromTop].some((renumber) => {
    const mapped = transitional.map((label) => label.split('-').map(renumber).join('-'));
    return mapped.length === usualSet.size && mapped.every((l) => usualSet.has(l)) && new Set(mapped).size === usualSet.size;
  });
}

/** Lumbar vertebrae one step up, counting five lumbar vertebrae from the sacrum (L1 becomes T12). */
function fromSacrum(vertebra: string): string {
  const m = /^L(\d)$/.exec(vertebra);
  if (!m) return vertebra;
  return m[1] === '1' ? 'T12' : `L${Number(m[1]) - 1}`;
}

/** Counting from the top, the sixth lumbar-type vertebra is the (lumbarised) S1. */
function fromTop(vertebra: string): string {
  return vertebra === 'L6' ? 'S1' : vertebra;
}

/** Scores a free-text answer: every level it names (shared parser) against the truth. */
export function scoreLevelAnswer(answer: string, truthLabels: readonly string[]): LevelScore {
  return scoreLevelSets(parseLevels(normalizeAnswerText(answer)), truthLabels);
}

export interface LevelSummary {
  /** Items with a level question. */
  n: number;
  exactRate: number;
  /** The same levels numbered across transitional anatomy (not a wrong level). */
  equivalentRate: number;
  offByOneRate: number;
  worseRate: number;
  noLevelRate: number;
  /** Means over items (macro). */
  precision: number;
  recall: number;
  f1: number;
}

/** Rates and mean P/R/F1 over scored level answers (0..1). Zero items give zeros with n = 0. */
export function summarizeLevelScores(scores: readonly LevelScore[]): LevelSummary {
  const n = scores.length;
  const rate = (cls: LevelErrorClass) => (n === 0 ? 0 : scores.filter((s) => s.errorClass === cls).length / n);
  const mean = (pick: (s: LevelScore) => number) => (n === 0 ? 0 : scores.reduce((sum, s) => sum + pick(s), 0) / n);
  return {
    n,
    exactRate: rate('exact'),
    equivalentRate: rate('equivalent'),
    offByOneRate: rate('off_by_one'),
    worseRate: rate('worse'),
    noLevelRate: rate('no_level'),
    precision: mean((s) => s.precision),
    recall: mean((s) => s.recall),
    f1: mean((s) => s.f1),
  };
}
