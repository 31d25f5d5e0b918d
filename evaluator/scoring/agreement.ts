import { DEFAULT_BOOTSTRAP, percentileInterval, seededRandom, seedFor, type BootstrapOptions, type Interval } from './bootstrap';

/**
 * Agreement between two raters on the same items (docs/decisions/134-judge-calibration.md): Spearman's rank
 * correlation and quadratic-weighted Cohen's kappa on the 1–5 rubric scale, each with a seeded percentile bootstrap
 * interval over the rated items. Pure.
 */

/** Ranks 1..n, ties given the mean of the ranks they span. */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const ranks = new Array<number>(values.length);
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && order[end + 1][0] === order[start][0]) end++;
    const rank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) ranks[order[k][1]] = rank;
    start = end + 1;
  }
  return ranks;
}

function pearson(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) (mx += x[i]), (my += y[i]);
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  // A rater who gives every item the same rating has no ranking to correlate: undefined, not 0.
  if (sxx === 0 || syy === 0) return NaN;
  return sxy / Math.sqrt(sxx * syy);
}

/** Spearman's ρ: Pearson's r of the average ranks. NaN with fewer than two items or a constant rater. */
export function spearman(x: readonly number[], y: readonly number[]): number {
  if (x.length !== y.length) throw new Error(`spearman: ${x.length} ratings against ${y.length}`);
  if (x.length < 2) return NaN;
  return pearson(averageRanks(x), averageRanks(y));
}

/**
 * Cohen's kappa with quadratic weights (i − j)² on integer categories: 1 − Σ w·observed / Σ w·expected, where
 * expected is the product of the two raters' marginals. The weights' scale cancels, so the number of categories does
 * not matter. NaN when the expected disagreement is 0 (both raters constant on the same value).
 */
export function quadraticWeightedKappa(x: readonly number[], y: readonly number[]): number {
  if (x.length !== y.length) throw new Error(`quadraticWeightedKappa: ${x.length} ratings against ${y.length}`);
  const n = x.length;
  if (n === 0) return NaN;
  let observed = 0;
  const rowCounts = new Map<number, number>();
  const colCounts = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    observed += (x[i] - y[i]) ** 2;
    rowCounts.set(x[i], (rowCounts.get(x[i]) ?? 0) + 1);
    colCounts.set(y[i], (colCounts.get(y[i]) ?? 0) + 1);
  }
  let expected = 0;
  for (const [a, ca] of rowCounts) for (const [b, cb] of colCounts) expected += ((ca * cb) / n) * (a - b) ** 2;
  if (expected === 0) return NaN;
  return 1 - observed / expected;
}

export type PairedStatistic = (x: readonly number[], y: readonly number[]) => number;

/**
 * Percentile bootstrap interval of `statistic` over items drawn with replacement (pairs kept together). Resamples
 * where the statistic is undefined (every drawn item rated alike) are left out; with fewer than half of them
 * defined the interval is [NaN, NaN]. Same ratings and seed → same interval.
 */
export function bootstrapPairedInterval(
  x: readonly number[],
  y: readonly number[],
  statistic: PairedStatistic,
  options: BootstrapOptions = {},
): Interval {
  const { resamples, seed, level } = { ...DEFAULT_BOOTSTRAP, ...options };
  const n = x.length;
  if (n < 2) return [NaN, NaN];
  const random = seededRandom(seed);
  const draws: number[] = [];
  const bx = new Array<number>(n);
  const by = new Array<number>(n);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) {
      const k = Math.floor(random() * n);
      bx[i] = x[k];
      by[i] = y[k];
    }
    const value = statistic(bx, by);
    if (Number.isFinite(value)) draws.push(value);
  }
  if (draws.length < resamples / 2) return [NaN, NaN];
  return percentileInterval(Float64Array.from(draws), level);
}

export interface Agreement {
  /** Items rated by both. */
  n: number;
  spearman: number;
  spearmanInterval: Interval;
  kappa: number;
  kappaInterval: Interval;
}

/** Both statistics with their intervals; each draws its own seeded stream (seedFor), so adding one moves neither. */
export function agreementOf(x: readonly number[], y: readonly number[], options: BootstrapOptions = {}): Agreement {
  const seed = options.seed ?? DEFAULT_BOOTSTRAP.seed;
  return {
    n: x.length,
    spearman: spearman(x, y),
    spearmanInterval: bootstrapPairedInterval(x, y, spearman, { ...options, seed: seedFor(seed, 'spearman') }),
    kappa: quadraticWeightedKappa(x, y),
    kappaInterval: bootstrapPairedInterval(x, y, quadraticWeightedKappa, { ...options, seed: seedFor(seed, 'kappa') }),
  };
}

/** Agreement per key (a rubric dimension) over paired ratings; JSON-safe (NaN becomes null in storage). */
export function agreementByKey<K extends string>(
  keys: readonly K[],
  pairs: ReadonlyArray<{ a: Record<K, number>; b: Record<K, number> }>,
  options: BootstrapOptions = {},
): Record<K, Agreement> {
  const out = {} as Record<K, Agreement>;
  for (const key of keys) {
    out[key] = agreementOf(pairs.map((p) => p.a[key]), pairs.map((p) => p.b[key]), { ...options, seed: seedFor(options.seed ?? DEFAULT_BOOTSTRAP.seed, key) });
  }
  return out;
}
