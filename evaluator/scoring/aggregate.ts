import type { JudgeIdentity } from '../judge/config';
import { bootstrapMeanInterval, DEFAULT_BOOTSTRAP, seedFor, type BootstrapOptions, type Interval } from './bootstrap';
import { PARTS, type ItemScore, type McqItemScore, type Part, type ReportItemScore } from './item-score';
import { MISSING_REPORT_SCORE } from './report-rubric';
import { summarizeLevelScores, type LevelSummary } from './level-score';
import { SCORER_VERSION } from './version';

/** A score on the 0–100 scale with its item count and seeded 95% bootstrap interval. */
export interface ScoreWithInterval {
  score: number;
  n: number;
  ci: Interval;
}

export const BREAKDOWN_FACETS = ['skill', 'modality', 'region', 'pathology', 'language', 'level'] as const;
export type BreakdownFacet = (typeof BREAKDOWN_FACETS)[number];

export interface RunAggregate {
  scorerVersion: string;
  /** The judge that made every report score, or null when reports were scored deterministically (or there are none). */
  judge: JudgeIdentity | null;
  /** How report scores were made: by the judge, or by the deterministic check alone (labelled so on boards). */
  reportMethod: 'judge' | 'deterministic' | null;
  parts: Record<Part, ScoreWithInterval | null>;
  /** Text and image MCQ together (the paper's "closed QA" average, item-weighted). */
  mcq: ScoreWithInterval | null;
  /** Item-count-weighted mean of the parts (docs/scoring.md), interval from a bootstrap stratified by part. */
  overall: ScoreWithInterval | null;
  /** The deterministic report check, shown beside a judge score. */
  reportDeterministic: ScoreWithInterval | null;
  /** Facet value → score. An item with several modalities or levels counts in each. MCQ items count 0/100. */
  breakdowns: Record<BreakdownFacet, Record<string, ScoreWithInterval>>;
  levels: LevelSummary;
  /** MCQ answers that named no option or several: scored wrong, counted here. */
  noAnswer: { count: number; ambiguous: number; none: number; rate: number };
  /** Report items without a valid judge score (malformed, failed, or not judged in a judged run): left out of the scores. */
  unscored: { count: number; itemIds: string[] };
  bootstrap: { resamples: number; seed: number; level: number };
}

export interface PartScore {
  n: number;
  /** 0..100. */
  score: number;
}

/** The paper's overall score: (Σ n_k · P_k) / Σ n_k over the parts present. Pure. */
export function combineParts(parts: ReadonlyArray<PartScore>): number {
  const n = parts.reduce((s, p) => s + p.n, 0);
  if (n === 0) throw new Error('combineParts: no items in any part');
  for (const p of parts) {
    if (!(p.n >= 0) || !Number.isFinite(p.score)) throw new Error(`combineParts: bad part ${JSON.stringify(p)}`);
  }
  return parts.reduce((s, p) => s + p.n * p.score, 0) / n;
}

/** The fields of an item score that `itemValue` reads. */
export type ValuedScore = Pick<McqItemScore, 'task' | 'score' | 'noOutput'> | Pick<ReportItemScore, 'task' | 'score' | 'noOutput' | 'method'>;

/** The value an item contributes on the 0–100 scale, or null when it has no valid score. */
export function itemValue(item: ValuedScore, reportMethod: RunAggregate['reportMethod']): number | null {
  if (item.task === 'mcq') return item.score * 100;
  // No report at all: the floor of the scale in use (docs/decisions/127), so it is never worth less than the worst written one.
  if (item.noOutput) return reportMethod === 'judge' ? MISSING_REPORT_SCORE.judge : MISSING_REPORT_SCORE.deterministic;
  if (reportMethod === 'judge' && item.method !== 'judge') return null;
  return item.score;
}

/** Aggregates a run's item scores. Pure and deterministic: input order does not matter. */
export function aggregateRun(scoredItems: ReadonlyArray<ItemScore>, options: BootstrapOptions = {}): RunAggregate {
  const bootstrap = { ...DEFAULT_BOOTSTRAP, ...options };
  const items = [...scoredItems].sort((a, b) => (a.itemId < b.itemId ? -1 : a.itemId > b.itemId ? 1 : 0));
  assertUniqueIds(items);

  const reports = items.filter((i) => i.task === 'report');
  const reportMethod = reports.length === 0 ? null : reports.some((r) => r.method === 'judge') ? 'judge' : 'deterministic';
  const judge = singleJudge(reports);

  const valued = items.map((item) => ({ item, value: itemValue(item, reportMethod) }));
  const scored = valued.filter((v): v is { item: ItemScore; value: number } => v.value !== null);
  const unscoredIds = valued.filter((v) => v.value === null).map((v) => v.item.itemId);

  const summarize = (key: string, strata: number[][]): ScoreWithInterval | null => {
    const n = strata.reduce((s, x) => s + x.length, 0);
    if (n === 0) return null;
    const score = strata.reduce((s, x) => s + x.reduce((a, b) => a + b, 0), 0) / n;
    return { score, n, ci: bootstrapMeanInterval(strata, { ...bootstrap, seed: seedFor(bootstrap.seed, key) }) };
  };

  const byPart = (part: Part) => scored.filter((v) => v.item.part === part).map((v) => v.value);
  const parts = Object.fromEntries(PARTS.map((p) => [p, summarize(`part:${p}`, [byPart(p)])])) as Record<Part, ScoreWithInterval | null>;
  const mcq = summarize('mcq', [byPart('text_mcq'), byPart('image_mcq')]);
  const overall = summarize('overall', PARTS.map(byPart));
  const reportDeterministic = summarize('report:deterministic', [
    reports.filter((r) => r.check !== null || r.noOutput).map((r) => r.check?.score ?? 0),
  ]);

  const breakdowns = Object.fromEntries(BREAKDOWN_FACETS.map((f) => [f, {}])) as RunAggregate['breakdowns'];
  for (const facet of BREAKDOWN_FACETS) {
    const groups = new Map<string, number[]>();
    for (const { item, value } of scored) {
      for (const key of facetKeys(item, facet)) {
        const list = groups.get(key) ?? [];
        list.push(value);
        groups.set(key, list);
      }
    }
    for (const key of [...groups.keys()].sort()) breakdowns[facet][key] = summarize(`${facet}:${key}`, [groups.get(key)!])!;
  }

  const mcqItems = items.filter((i) => i.task === 'mcq');
  const ambiguous = mcqItems.filter((i) => i.detail.reason === 'ambiguous').length;
  const none = mcqItems.filter((i) => i.detail.reason === 'none').length;
  const levelScores = mcqItems.flatMap((i) => (i.detail.levels ? [i.detail.levels] : []));

  return {
    scorerVersion: SCORER_VERSION,
    judge,
    reportMethod,
    parts,
    mcq,
    overall,
    reportDeterministic,
    breakdowns,
    levels: summarizeLevelScores(levelScores),
    noAnswer: { count: ambiguous + none, ambiguous, none, rate: mcqItems.length === 0 ? 0 : (ambiguous + none) / mcqItems.length },
    unscored: { count: unscoredIds.length, itemIds: unscoredIds },
    bootstrap: { resamples: bootstrap.resamples, seed: bootstrap.seed, level: bootstrap.level },
  };
}

function facetKeys(item: ItemScore, facet: BreakdownFacet): string[] {
  const f = item.facets;
  switch (facet) {
    case 'skill':
      return [f.skill];
    case 'modality':
      return f.modalities.length > 0 ? f.modalities : ['text_only'];
    case 'region':
      return [f.region];
    case 'pathology':
      return [f.pathology];
    case 'language':
      return [f.language];
    case 'level':
      return f.levels;
  }
}

function assertUniqueIds(items: ReadonlyArray<ItemScore>): void {
  for (const item of items) {
    if (item.scorerVersion !== SCORER_VERSION) {
      throw new Error(`aggregateRun: item "${item.itemId}" was scored by ${item.scorerVersion}, not ${SCORER_VERSION}; re-score it first`);
    }
  }
  for (let i = 1; i < items.length; i++) {
    if (items[i].itemId === items[i - 1].itemId) throw new Error(`aggregateRun: item "${items[i].itemId}" is scored twice`);
  }
}

function singleJudge(reports: ReadonlyArray<ItemScore>): JudgeIdentity | null {
  let judge: JudgeIdentity | null = null;
  for (const r of reports) {
    if (r.task !== 'report' || !r.judge) continue;
    const j = r.judge.judge;
    if (judge && judge.configVersion !== j.configVersion) {
      throw new Error(`aggregateRun: report items were judged by different judge configurations (${judge.configVersion} and ${j.configVersion})`);
    }
    judge = j;
  }
  return judge;
}
