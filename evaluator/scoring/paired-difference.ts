import { DEFAULT_BOOTSTRAP, percentileInterval, seedFor, type BootstrapOptions, type Interval } from './bootstrap';
import { resampleMeans } from './resample';

/**
 * The paired-bootstrap difference of two models on the same items (docs/decisions/261-compare-page.md): each
 * resample draws items with replacement within every stratum (the parts, so each resample keeps the part sizes)
 * and takes the SAME items for both models, so what the models share (item difficulty) cancels out of the
 * difference. Draws go by multinomial counts where a stratum has few distinct rows (evaluator/scoring/resample.ts,
 * decision 126). Pure and deterministic for a given key.
 */
export interface PairedStratum {
  /** Values (0–100) of model A and model B on the same items, in the same order. */
  a: ArrayLike<number>;
  b: ArrayLike<number>;
}

export interface PairedDifference {
  /** Items both models have a valid score for. */
  n: number;
  /** Each model's mean on those items. */
  a: number;
  b: number;
  /** b − a. */
  diff: number;
  /** Percentile interval of the resampled differences at `level`. */
  ci: Interval;
  /** The interval excludes 0: the two models differ at this level (for this one comparison). */
  significant: boolean;
}

export function pairedDifference(strata: ReadonlyArray<PairedStratum>, key: string, options: BootstrapOptions = {}): PairedDifference | null {
  const { resamples, seed, level } = { ...DEFAULT_BOOTSTRAP, ...options };
  const used = strata.filter((s) => s.a.length > 0);
  for (const s of used) if (s.a.length !== s.b.length) throw new Error('pairedDifference: a stratum has unequal value lists (not paired)');
  const n = used.reduce((t, s) => t + s.a.length, 0);
  if (n === 0) return null;
  let sumA = 0;
  let sumB = 0;
  for (const s of used) {
    for (let i = 0; i < s.a.length; i++) {
      if (!Number.isFinite(s.a[i]) || !Number.isFinite(s.b[i])) throw new Error('pairedDifference: values must be finite (leave out items either model has no score for)');
      sumA += s.a[i];
      sumB += s.b[i];
    }
  }
  const a = sumA / n;
  const b = sumB / n;
  const [drawsA, drawsB] = resampleMeans(used.map((s) => [s.a, s.b]), resamples, seedFor(seed, `paired:${key}`));
  const diffs = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) diffs[r] = drawsB[r] - drawsA[r];
  const ci = percentileInterval(diffs, level);
  return { n, a, b, diff: b - a, ci, significant: ci[0] > 0 || ci[1] < 0 };
}
