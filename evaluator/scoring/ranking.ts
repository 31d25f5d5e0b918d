import { DEFAULT_BOOTSTRAP, percentileInterval, quantile, type BootstrapOptions, type Interval } from './bootstrap';
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
  /** 1 + the number of models significantly better; models not significantly apart share a rank. */
  rank: number;
}

/**
 * Ranks models by overall score with a paired bootstrap: each resample draws the same items (by id, within each
 * part) for every model. Model A is significantly better than B when the 95% interval of A − B lies above 0.
 * Only items that every model has a valid score for take part. Pure and deterministic.
 */
export function rankModels(models: ReadonlyArray<RankInput>, options: BootstrapOptions = {}): RankedModel[] {
  const { resamples, seed, level } = { ...DEFAULT_BOOTSTRAP, ...options };
  if (models.length === 0) return [];
  const ids = new Set<string>();
  for (const m of models) {
    if (ids.has(m.id)) throw new Error(`rankModels: model "${m.id}" is listed twice`);
    ids.add(m.id);
  }

  // Per model: item id → value; the shared item set, grouped by part and sorted for determinism.
  const values = models.map((m) => valueMap(m.items));
  const first = models[0].items;
  const strata = PARTS.map((part) =>
    first
      .filter((i) => i.part === part)
      .map((i) => i.itemId)
      .filter((id) => values.every((v) => v.has(id)))
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

  const matrix = strata.map((idsInPart) => models.map((_, mi) => Float64Array.from(idsInPart, (id) => values[mi].get(id)!)));
  const point = models.map((_, mi) => matrix.reduce((s, part) => s + part[mi].reduce((a, b) => a + b, 0), 0) / total);

  const boot = resampleMeans(matrix, resamples, seed);

  const tail = (1 - level) / 2;
  const betterThan = (a: number, b: number) => {
    const diffs = Float64Array.from(boot[a], (x, i) => x - boot[b][i]).sort();
    return quantile(diffs, tail) > 0;
  };
  const ranked = models.map((m, mi) => {
    let rank = 1;
    for (let other = 0; other < models.length; other++) if (other !== mi && betterThan(other, mi)) rank++;
    return { id: m.id, score: point[mi], ci: percentileInterval(Float64Array.from(boot[mi]), level), rank };
  });
  return ranked.sort((a, b) => a.rank - b.rank || b.score - a.score || a.id.localeCompare(b.id));
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
