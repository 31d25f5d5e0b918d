/**
 * Seeded percentile bootstrap. Same values, same seed → same interval, on every machine: the generator is
 * mulberry32 (32-bit integer arithmetic only) and callers sort their items by id before calling.
 */

export const DEFAULT_BOOTSTRAP = { resamples: 2_000, seed: 20_251_003, level: 0.95 } as const;

export interface BootstrapOptions {
  resamples?: number;
  seed?: number;
  /** Confidence level, 0.95 for a 95% interval. */
  level?: number;
}

export type Interval = [low: number, high: number];

/** mulberry32: a small, fast, well-distributed 32-bit generator. Returns floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** FNV-1a: a stable per-group seed, so each breakdown draws its own stream yet repeats exactly. */
export function seedFor(base: number, key: string): number {
  let h = (0x811c9dc5 ^ base) >>> 0;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

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
 * Percentile interval of the mean of `strata` combined as one sample: each resample draws, within every
 * stratum, as many values as it has (so a stratified overall keeps its part sizes), and takes the mean of all.
 */
export function bootstrapMeanInterval(strata: ReadonlyArray<ArrayLike<number>>, options: BootstrapOptions = {}): Interval {
  const { resamples, seed, level } = { ...DEFAULT_BOOTSTRAP, ...options };
  const total = strata.reduce((s, x) => s + x.length, 0);
  if (total === 0) return [NaN, NaN];
  const random = seededRandom(seed);
  const means = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    let sum = 0;
    for (const values of strata) {
      const n = values.length;
      for (let i = 0; i < n; i++) sum += values[(random() * n) | 0];
    }
    means[b] = sum / total;
  }
  means.sort();
  const tail = (1 - level) / 2;
  return [quantile(means, tail), quantile(means, 1 - tail)];
}
