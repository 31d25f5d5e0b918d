import { drawMultinomial, seededBinomial } from './binomial';
import { seededRandom } from './random';

/**
 * One stratum of a (possibly paired) bootstrap: `series[s][i]` is item i's value for series s (one series for
 * a plain interval, one per model for a paired ranking). Every series has the same items in the same order.
 */
export type Stratum = ReadonlyArray<ArrayLike<number>>;

/**
 * A multinomial draw costs about this many single-item draws; a stratum with k distinct rows is resampled by
 * counts when k · this < n. Scores are mostly 0/100, so a 5,000-item stratum usually has 2 rows, not 5,000.
 */
const MULTINOMIAL_COST = 16;

interface StratumSampler {
  /** Adds one resample's per-series sums of valid values into `sums` and their counts into `counts`. */
  addSums(sums: Float64Array, counts: Float64Array): void;
}

/**
 * Bootstrap resample means of the strata combined: each resample draws, within every stratum, as many items as
 * it has (with replacement, the same items for every series) and takes each series' mean over all strata.
 * Returns one Float64Array of `resamples` means per series. Deterministic for a given seed and input order.
 * A NaN value marks an item a series has no valid score for: it is drawn like the others (the draws stay paired)
 * but left out of that series' mean, so each series' mean rests on its own valid items (docs/decisions/131).
 *
 * Drawing n items with replacement from a stratum only matters through how often each distinct row is drawn,
 * and those counts are exactly Multinomial(n; row frequencies). So a stratum with few distinct rows draws the
 * counts (O(k) per resample) instead of n indices (O(n)): the same bootstrap distribution, far fewer draws.
 */
export function resampleMeans(strata: ReadonlyArray<Stratum>, resamples: number, seed: number): Float64Array[] {
  const seriesCount = strata[0]?.length ?? 0;
  const total = strata.reduce((s, x) => s + (x[0]?.length ?? 0), 0);
  const random = seededRandom(seed);
  const binomial = seededBinomial(random);
  const samplers = strata.filter((x) => x[0].length > 0).map((x) => stratumSampler(x, random, binomial));
  const means = Array.from({ length: seriesCount }, () => new Float64Array(resamples));
  const sums = new Float64Array(seriesCount);
  const counts = new Float64Array(seriesCount);
  for (let b = 0; b < resamples; b++) {
    sums.fill(0);
    counts.fill(0);
    for (const sampler of samplers) sampler.addSums(sums, counts);
    for (let s = 0; s < seriesCount; s++) means[s][b] = counts[s] === total ? sums[s] / total : sums[s] / counts[s];
  }
  return means;
}

function stratumSampler(series: Stratum, random: () => number, binomial: (n: number, p: number) => number): StratumSampler {
  const n = series[0].length;
  const rows = distinctRows(series, Math.ceil(n / MULTINOMIAL_COST));
  if (!rows) return indexSampler(series, random);
  const counts = new Float64Array(rows.counts.length);
  return {
    addSums(sums, valid) {
      drawMultinomial(binomial, rows.counts, n, counts);
      for (let j = 0; j < counts.length; j++) {
        const c = counts[j];
        if (c === 0) continue;
        for (let s = 0; s < sums.length; s++) {
          const v = rows.values[s][j];
          if (v !== v) continue; // NaN: no valid score for this series
          sums[s] += c * v;
          valid[s] += c;
        }
      }
    },
  };
}

function indexSampler(series: Stratum, random: () => number): StratumSampler {
  const n = series[0].length;
  return {
    addSums(sums, valid) {
      for (let i = 0; i < n; i++) {
        const pick = (random() * n) | 0;
        for (let s = 0; s < sums.length; s++) {
          const v = series[s][pick];
          if (v !== v) continue; // NaN: no valid score for this series
          sums[s] += v;
          valid[s]++;
        }
      }
    },
  };
}

/** The stratum's distinct rows (a row = one item's values across series) in first-seen order, with counts; null past `limit` rows. */
function distinctRows(series: Stratum, limit: number): { values: number[][]; counts: number[] } | null {
  const n = series[0].length;
  const index = new Map<string, number>();
  const values: number[][] = series.map(() => []);
  const counts: number[] = [];
  for (let i = 0; i < n; i++) {
    const key = series.length === 1 ? String(series[0][i]) : series.map((x) => x[i]).join(',');
    let j = index.get(key);
    if (j === undefined) {
      j = counts.length;
      if (j === limit) return null;
      index.set(key, j);
      counts.push(0);
      series.forEach((x, s) => values[s].push(x[i]));
    }
    counts[j]++;
  }
  return { values, counts };
}
