import { DEFAULT_BOOTSTRAP, quantile, type BootstrapOptions, type Interval } from './bootstrap';
import { bcaInterval, isBinaryScale, wilsonInterval } from './intervals';
import { resampleMeans } from './resample';
import { itemValue, type RunAggregate } from './aggregate';
import type { JudgeOutcome } from '../judge/client';
import { PARTS, type McqItemScore, type ReportItemScore } from './item-score';

/** What ranking reads of an item score: boards load only these fields (db/queries/leaderboard.ts). */
export type RankableScore =
  | Pick<McqItemScore, 'itemId' | 'part' | 'task' | 'score' | 'noOutput'>
  | (Pick<ReportItemScore, 'itemId' | 'part' | 'task' | 'score' | 'noOutput' | 'method'> & { judge: Pick<JudgeOutcome, 'judge'> | null });

export interface RankInput {
  /** A model (version) on the board. */
  id: string;
  items: ReadonlyArray<RankableScore>;
}

export interface RankedModel {
  id: string;
  /** Overall score on the items every model has a valid score for. */
  score: number;
  ci: Interval;
  /** 1 + the number of models with a higher score (competition ranking: 1, 2, 2, 4). */
  rank: number;
  /**
   * Simultaneous 95% rank interval (docs/decisions/130): rankLow = 1 + models significantly better, rankHigh =
   * number of models − models significantly worse, "significantly" by the bootstrap of the largest studentized
   * difference over all pairs, so all models' intervals hold their true ranks together with 95% probability.
   */
  rankLow: number;
  rankHigh: number;
}

/**
 * Ranks models by overall score and gives each a simultaneous 95% rank interval from a paired bootstrap: each
 * resample draws the same items (by id, within each part) for every model (the rule in words: RANK_RULE,
 * app/components/rank-cell.tsx). Only items that every
 * model has a valid score for take part. Pure and deterministic.
 */
export function rankModels(models: ReadonlyArray<RankInput>, options: BootstrapOptions = {}): RankedModel[] {
  const { resamples, seed, level } = { ...DEFAULT_BOOTSTRAP, ...options };
  if (models.length === 0) return [];
  const ids = new Set<string>();
  for (const m of models) {
    if (ids.has(m.id)) throw new Error(`rankModels: model "${m.id}" is listed twice`);
    ids.add(m.id);
  }

  // Per model: item id → value. Every item some model has a valid score for takes part, with NaN where a model
  // has none (a report its judge failed on), so each model's score rests on the same items as its row's score
  // while the draws stay paired (docs/decisions/131). Grouped by part and sorted for determinism.
  const values = models.map((m) => valueMap(m.items));
  const first = models[0].items;
  const strata = PARTS.map((part) =>
    first
      .filter((i) => i.part === part)
      .map((i) => i.itemId)
      .filter((id) => values.some((v) => v.has(id)))
      .sort(),
  );
  const total = strata.reduce((s, x) => s + x.length, 0);
  if (total === 0) throw new Error('rankModels: the models have no scored item in common');
  const firstIds = new Set(first.map((i) => i.itemId));
  const firstScoring = scoringOf(first);
  for (const m of models) {
    const stray = m.items.find((i) => !firstIds.has(i.itemId));
    if (stray || m.items.length !== first.length) {
      throw new Error(`rankModels: model "${m.id}" was not scored on the same items as "${models[0].id}"; rank runs of one release only`);
    }
    if (scoringOf(m.items) !== firstScoring) {
      throw new Error(`rankModels: model "${m.id}" has reports scored by ${scoringOf(m.items)}, "${models[0].id}" by ${firstScoring}`);
    }
  }

  const matrix = strata.map((idsInPart) => models.map((_, mi) => Float64Array.from(idsInPart, (id) => values[mi].get(id) ?? NaN)));
  const point = models.map((_, mi) => {
    let sum = 0;
    let n = 0;
    for (const part of matrix) for (const v of part[mi]) if (v === v) (sum += v), n++;
    return n === 0 ? NaN : sum / n;
  });
  if (point.some((p) => Number.isNaN(p))) throw new Error('rankModels: a model has no validly scored item');

  const boot = resampleMeans(matrix, resamples, seed);
  const better = significantlyBetter(point, boot, level);

  const ranked = models.map((m, mi) => {
    let rank = 1;
    let low = 1;
    let high = models.length;
    for (let other = 0; other < models.length; other++) {
      if (other === mi) continue;
      if (point[other] > point[mi]) rank++;
      if (better[other][mi]) low++;
      if (better[mi][other]) high--;
    }
    const strata = matrix.map((part) => part[mi].filter((v) => v === v));
    return { id: m.id, score: point[mi], ci: modelInterval(strata, boot[mi], level), rank, rankLow: low, rankHigh: high };
  });
  return ranked.sort((a, b) => a.rank - b.rank || b.score - a.score || a.id.localeCompare(b.id));
}

/**
 * better[a][b]: model a is significantly better than b, family-wise over all pairs (docs/decisions/130). The
 * critical value is the `level` quantile of max over pairs |(d*_ab − d_ab) / se_ab| across resamples, with se_ab the
 * bootstrap standard deviation of the paired difference; a is better than b when d_ab / se_ab exceeds it. A pair
 * whose difference never varies (se 0) is apart exactly when the difference is not 0.
 */
export function significantlyBetter(point: readonly number[], boot: readonly Float64Array[], level: number): boolean[][] {
  const k = point.length;
  const better = Array.from({ length: k }, () => new Array<boolean>(k).fill(false));
  if (k < 2) return better;
  const resamples = boot[0].length;
  const pairs: Array<{ a: number; b: number; d: number; se: number }> = [];
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      let sum = 0;
      let sq = 0;
      for (let r = 0; r < resamples; r++) {
        const x = boot[a][r] - boot[b][r];
        sum += x;
        sq += x * x;
      }
      const mean = sum / resamples;
      const se = Math.sqrt(Math.max(0, sq / resamples - mean * mean));
      pairs.push({ a, b, d: point[a] - point[b], se });
    }
  }
  const varying = pairs.filter((p) => p.se > 1e-12);
  const maxT = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let m = 0;
    for (const p of varying) {
      const t = Math.abs(boot[p.a][r] - boot[p.b][r] - p.d) / p.se;
      if (t > m) m = t;
    }
    maxT[r] = m;
  }
  maxT.sort();
  const critical = quantile(maxT, level);
  for (const p of pairs) {
    const apart = p.se > 1e-12 ? Math.abs(p.d) / p.se > critical : p.d !== 0;
    if (!apart) continue;
    if (p.d > 0) better[p.a][p.b] = true;
    else better[p.b][p.a] = true;
  }
  return better;
}

/** A model's score interval on the shared items, by the same rule as run aggregates (decision 129). */
function modelInterval(strata: Float64Array[], draws: Float64Array, level: number): Interval {
  if (isBinaryScale(strata)) {
    const n = strata.reduce((s, x) => s + x.length, 0);
    const successes = strata.reduce((s, x) => s + x.reduce((a, v) => a + v / 100, 0), 0);
    return wilsonInterval(successes, n, level);
  }
  return bcaInterval(strata, Float64Array.from(draws), level);
}

function valueMap(items: ReadonlyArray<RankableScore>): Map<string, number> {
  const reports = items.filter((i) => i.task === 'report');
  const method: RunAggregate['reportMethod'] = reports.length === 0 ? null : reports.some((r) => r.method === 'judge') ? 'judge' : 'deterministic';
  const map = new Map<string, number>();
  for (const item of items) {
    const v = itemValue(item, method);
    if (v !== null) map.set(item.itemId, v);
  }
  return map;
}

/** How a run's reports were scored: `deterministic`, `judge:<config version>`, or `none`. */
function scoringOf(items: ReadonlyArray<RankableScore>): string {
  const judged = items.find((i) => i.task === 'report' && i.judge);
  if (judged && judged.task === 'report' && judged.judge) return `judge:${judged.judge.judge.configVersion}`;
  return items.some((i) => i.task === 'report') ? 'deterministic' : 'none';
}
