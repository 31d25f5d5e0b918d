import { levelDistance, levelKind } from '../../benchmark/levels';
import { REGIONS, type Modality } from '../../benchmark/item-schema';
import { itemValue, type RunAggregate, type ScoreWithInterval } from './aggregate';
import { bootstrapMeanInterval, DEFAULT_BOOTSTRAP, seedFor } from './bootstrap';
import type { ItemScore, Part } from './item-score';
import { PARTS } from './item-score';
import type { LevelScore } from './level-score';
import { REPORT_DIMENSIONS, RUBRIC_SECTION_NAMES, type ReportDimension, type RubricSection } from './report-rubric';

/**
 * What the per-skill boards, model and run pages show beyond the stored aggregate (docs/decisions/260-board-views.md):
 * computed once when a run is published and stored beside it, so a board never reads item results per request.
 * Every number is on the 0–100 scale with a seeded 95% bootstrap interval, except report ratings (1–5).
 */
export const BOARD_VIEWS_VERSION = 'board-views-1';

export const CLINICAL_SKILLS = ['level_identification', 'pathology_assessment', 'surgical_planning'] as const;
/** Modality columns: an image item counts under each modality it shows; `multi` holds items with two or more. */
export const MODALITY_COLUMNS = ['xray', 'ct', 'mri', 'multi', 'text_only'] as const;
export type ModalityColumn = (typeof MODALITY_COLUMNS)[number];
export const FILTER_FACETS = ['region', 'pathology', 'language'] as const;
export type FilterFacet = (typeof FILTER_FACETS)[number];

export interface LevelRates {
  n: number;
  exact: ScoreWithInterval;
  f1: ScoreWithInterval;
  offByOne: ScoreWithInterval;
  worse: ScoreWithInterval;
}

/** Level answers at one true level (vertebra or disc segment): how often exact, off by one, worse, or no level. */
export interface SpineLevelCount {
  level: string;
  n: number;
  exact: number;
  offByOne: number;
  worse: number;
  noLevel: number;
}

/** A true level read as another level: off by one (the classic wrong-level error) or farther. */
export interface LevelConfusion {
  truth: string;
  predicted: string;
  kind: 'off_by_one' | 'worse';
  count: number;
}

/** The scores a filtered board shows for one facet value (region, pathology or language). */
export interface FacetSlice {
  n: number;
  overall: ScoreWithInterval | null;
  parts: Record<Part, ScoreWithInterval | null>;
  skills: Record<string, ScoreWithInterval | null>;
  modality: Record<ModalityColumn, ScoreWithInterval | null>;
  levels: LevelRates | null;
}

export interface ReportQuality {
  /** Judged reports the ratings rest on. */
  n: number;
  dimensions: Record<ReportDimension, ScoreWithInterval | null>;
  sections: Record<RubricSection, ScoreWithInterval | null>;
}

export interface BoardViews {
  version: string;
  skills: Record<string, ScoreWithInterval | null>;
  modality: Record<ModalityColumn, ScoreWithInterval | null>;
  levels: { overall: LevelRates | null; byRegion: Record<string, LevelRates | null> };
  spine: SpineLevelCount[];
  confusions: LevelConfusion[];
  /** Judge ratings by dimension and section (1–5), null when no report was judged. */
  report: ReportQuality | null;
  filters: Record<FilterFacet, Record<string, FacetSlice>>;
}

interface Valued {
  item: ItemScore;
  value: number;
}

/** Mean and seeded bootstrap interval of `values`, or null when there are none. Pure. */
function summarize(key: string, values: number[]): ScoreWithInterval | null {
  if (values.length === 0) return null;
  const score = values.reduce((a, b) => a + b, 0) / values.length;
  return { score, n: values.length, ci: bootstrapMeanInterval([values], { seed: seedFor(DEFAULT_BOOTSTRAP.seed, key) }) };
}

function modalityColumns(modalities: readonly Modality[]): ModalityColumn[] {
  if (modalities.length === 0) return ['text_only'];
  return modalities.length > 1 ? [...modalities, 'multi'] : [...modalities];
}

function byModality(key: string, valued: Valued[]): Record<ModalityColumn, ScoreWithInterval | null> {
  return Object.fromEntries(
    MODALITY_COLUMNS.map((m) => [m, summarize(`${key}modality:${m}`, valued.filter((v) => modalityColumns(v.item.facets.modalities).includes(m)).map((v) => v.value))]),
  ) as Record<ModalityColumn, ScoreWithInterval | null>;
}

function bySkill(key: string, valued: Valued[]): Record<string, ScoreWithInterval | null> {
  return Object.fromEntries(CLINICAL_SKILLS.map((s) => [s, summarize(`${key}skill:${s}`, valued.filter((v) => v.item.facets.skill === s).map((v) => v.value))]));
}

function levelScoreOf(item: ItemScore): LevelScore | null {
  return item.task === 'mcq' ? item.detail.levels : null;
}

function levelRates(key: string, scores: LevelScore[]): LevelRates | null {
  if (scores.length === 0) return null;
  const rate = (what: string, pick: (s: LevelScore) => number) => summarize(`${key}level:${what}`, scores.map((s) => pick(s) * 100))!;
  return {
    n: scores.length,
    exact: rate('exact', (s) => (s.errorClass === 'exact' ? 1 : 0)),
    f1: rate('f1', (s) => s.f1),
    offByOne: rate('off_by_one', (s) => (s.errorClass === 'off_by_one' ? 1 : 0)),
    worse: rate('worse', (s) => (s.errorClass === 'worse' ? 1 : 0)),
  };
}

function spineCounts(scores: LevelScore[]): SpineLevelCount[] {
  const counts = new Map<string, SpineLevelCount>();
  for (const s of scores) {
    for (const level of s.truth) {
      const c = counts.get(level) ?? { level, n: 0, exact: 0, offByOne: 0, worse: 0, noLevel: 0 };
      c.n++;
      if (s.errorClass === 'exact') c.exact++;
      else if (s.errorClass === 'off_by_one') c.offByOne++;
      else if (s.errorClass === 'worse') c.worse++;
      else c.noLevel++;
      counts.set(level, c);
    }
  }
  return [...counts.values()].sort((a, b) => (a.level < b.level ? -1 : a.level > b.level ? 1 : 0));
}

/** Each wrongly named level paired with the nearest true level of the same kind (vertebra or segment). */
function confusions(scores: LevelScore[]): LevelConfusion[] {
  const counts = new Map<string, LevelConfusion>();
  for (const s of scores) {
    if (s.errorClass !== 'off_by_one' && s.errorClass !== 'worse') continue;
    const truth = new Set(s.truth);
    for (const predicted of s.predicted) {
      if (truth.has(predicted)) continue;
      const sameKind = s.truth.filter((t) => levelKind(t) === levelKind(predicted));
      const candidates = sameKind.length > 0 ? sameKind : s.truth;
      let nearest = candidates[0];
      let best = Infinity;
      for (const t of candidates) {
        const d = levelDistance(t, predicted);
        if (d < best) [best, nearest] = [d, t];
      }
      const kind = best <= 1 ? 'off_by_one' : 'worse';
      const key = `${nearest}>${predicted}`;
      const c = counts.get(key) ?? { truth: nearest, predicted, kind, count: 0 };
      c.count++;
      counts.set(key, c);
    }
  }
  return [...counts.values()].sort((a, b) => b.count - a.count || (a.truth < b.truth ? -1 : 1));
}

function reportQuality(items: ItemScore[]): ReportQuality | null {
  const rubrics = items.flatMap((i) => (i.task === 'report' && i.method === 'judge' && i.judge?.status === 'scored' ? [i.judge.rubric] : []));
  if (rubrics.length === 0) return null;
  return {
    n: rubrics.length,
    dimensions: Object.fromEntries(REPORT_DIMENSIONS.map((d) => [d, summarize(`report:dimension:${d}`, rubrics.map((r) => r.dimensions[d]))])) as ReportQuality['dimensions'],
    sections: Object.fromEntries(RUBRIC_SECTION_NAMES.map((s) => [s, summarize(`report:section:${s}`, rubrics.map((r) => r.sections[s]))])) as ReportQuality['sections'],
  };
}

function facetSlice(key: string, valued: Valued[]): FacetSlice {
  const values = (list: Valued[]) => list.map((v) => v.value);
  const levelScores = valued.flatMap((v) => {
    const l = levelScoreOf(v.item);
    return l ? [l] : [];
  });
  return {
    n: valued.length,
    overall: summarize(`${key}overall`, values(valued)),
    parts: Object.fromEntries(PARTS.map((p) => [p, summarize(`${key}part:${p}`, values(valued.filter((v) => v.item.part === p)))])) as FacetSlice['parts'],
    skills: bySkill(key, valued),
    modality: byModality(key, valued),
    levels: levelRates(key, levelScores),
  };
}

/**
 * The board views of one run from its item scores. Pure and deterministic (input order does not matter).
 * `reportMethod` is the run aggregate's, so a value here counts exactly the items the aggregate counts.
 */
export function summarizeBoardViews(scoredItems: ReadonlyArray<ItemScore>, reportMethod: RunAggregate['reportMethod']): BoardViews {
  const items = [...scoredItems].sort((a, b) => (a.itemId < b.itemId ? -1 : a.itemId > b.itemId ? 1 : 0));
  const valued = items.flatMap((item) => {
    const value = itemValue(item, reportMethod);
    return value === null ? [] : [{ item, value }];
  });
  const levelScores = items.flatMap((i) => {
    const l = levelScoreOf(i);
    return l ? [{ region: i.facets.region, score: l }] : [];
  });
  const filters = Object.fromEntries(FILTER_FACETS.map((f) => [f, {}])) as BoardViews['filters'];
  for (const facet of FILTER_FACETS) {
    const values = [...new Set(valued.map((v) => v.item.facets[facet]))].sort();
    for (const value of values) filters[facet][value] = facetSlice(`filter:${facet}:${value}:`, valued.filter((v) => v.item.facets[facet] === value));
  }
  return {
    version: BOARD_VIEWS_VERSION,
    skills: bySkill('', valued),
    modality: byModality('', valued),
    levels: {
      overall: levelRates('', levelScores.map((l) => l.score)),
      byRegion: Object.fromEntries(REGIONS.map((r) => [r, levelRates(`region:${r}:`, levelScores.filter((l) => l.region === r).map((l) => l.score))])),
    },
    spine: spineCounts(levelScores.map((l) => l.score)),
    confusions: confusions(levelScores.map((l) => l.score)),
    report: reportQuality(items),
    filters,
  };
}
