import { bcaInterval, isBinaryScale, wilsonInterval } from './intervals';
import { resampleMeans } from './resample';

export { seededRandom, seedFor } from './random';

/**
 * Seeded percentile bootstrap. Same values, same seed → same interval, on every machine: the stream is mulberry32
 * (32-bit integer arithmetic), the binomial draws use Math.log/exp, which V8 computes with its own fdlibm port on
 * every platform, and callers sort their items by id before calling.
 */

export const DEFAULT_BOOTSTRAP = { resamples: 2_000, seed: 20_251_003, level: 0.95 } as const;

export interface BootstrapOptions {
  resamples?: number;
  seed?: number;
  /** Confidence level, 0.95 for a 95% interval. */
  level?: number;
}

export type Interval = [low: number, high: number];

/** Linear-interpolated quantile of a sorted array. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * The interval of the mean of `strata` combined as one sample (docs/decisions/129): Wilson for 0/100 items (MCQ),
 * else a stratified BCa bootstrap — each resample draws, within every stratum, as many values as it has (so a
 * stratified overall keeps its part sizes) and takes the mean of all.
 */
export function bootstrapMeanInterval(strata: ReadonlyArray<ArrayLike<number>>, options: BootstrapOptions = {}): Interval {
  const { resamples, seed, level } = { ...DEFAULT_BOOTSTRAP, ...options };
  const n = strata.reduce((s, x) => s + x.length, 0);
  if (n === 0) return [NaN, NaN];
  if (isBinaryScale(strata)) {
    let successes = 0;
    for (const values of strata) for (let i = 0; i < values.length; i++) successes += values[i] / 100;
    return wilsonInterval(successes, n, level);
  }
  const [means] = resampleMeans(strata.map((values) => [values]), resamples, seed);
  return bcaInterval(strata, means, level);
}

/** The central `level` interval of bootstrap draws (sorts them in place). */
export function percentileInterval(draws: Float64Array, level: number): Interval {
  draws.sort();
  const tail = (1 - level) / 2;
  return [quantile(draws, tail), quantile(draws, 1 - tail)];
}
