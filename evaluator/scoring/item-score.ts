import type { Item, McqItem, Modality } from '../../benchmark/item-schema';
import type { JudgeOutcome } from '../judge/client';
import type { ChoiceExtraction } from './choice';
import type { LevelScore } from './level-score';
import { isLevelQuestion, levelScoreForChoice, mcqChoiceMetric, reportCheckMetric } from './registry';
import type { ReportCheck } from './report-check';
import { MISSING_REPORT_SCORE } from './report-rubric';
import { SCORER_VERSION } from './version';

/** The three parts of SpineBench (docs/scoring.md): text-only MCQ, image+text MCQ, report generation. */
export const PARTS = ['text_mcq', 'image_mcq', 'report'] as const;
export type Part = (typeof PARTS)[number];

/** What breakdowns group by; copied from the item so aggregation needs only scores. */
export interface ItemFacets {
  skill: Item['skill'];
  /** Distinct modalities of the item's images; [] for text-only items. */
  modalities: Modality[];
  region: Item['region'];
  pathology: string;
  language: Item['language'];
  levels: string[];
}

interface ItemScoreBase {
  itemId: string;
  part: Part;
  facets: ItemFacets;
  scorerVersion: string;
  /** The model produced no output at all (its error is stored with the run, not here). */
  noOutput: boolean;
}

export interface McqItemScore extends ItemScoreBase {
  task: 'mcq';
  score: 0 | 1;
  detail: {
    letter: ChoiceExtraction['letter'];
    reason: ChoiceExtraction['reason'];
    /** Level question only (the keyed option names a level). */
    levels: LevelScore | null;
  };
}

export interface ReportItemScore extends ItemScoreBase {
  task: 'report';
  /**
   * 0..100, or null when a judge was asked and gave no valid score (malformed or failed): such an item is
   * never silently given a number. `method` says which scorer produced `score`.
   */
  score: number | null;
  method: 'deterministic' | 'judge';
  /** The judge-free check, shown beside the judge score; null when there was no output. */
  check: ReportCheck | null;
  judge: JudgeOutcome | null;
}

export type ItemScore = McqItemScore | ReportItemScore;

export interface ScoreItemOptions {
  /** A stored judge outcome for this report item (judging runs separately, see judgeReport). */
  judge?: JudgeOutcome | null;
}

export function partOf(item: Item): Part {
  if (item.task === 'report') return 'report';
  return item.inputKind === 'image' ? 'image_mcq' : 'text_mcq';
}

/** Facets of an item; memoised per item object and frozen, so the scores of one item share them. */
const facetsCache = new WeakMap<Item, ItemFacets>();
export function facetsOf(item: Item): ItemFacets {
  let facets = facetsCache.get(item);
  if (!facets) {
    facets = Object.freeze({
      skill: item.skill,
      modalities: Object.freeze([...new Set(item.images.map((i) => i.modality))]) as Modality[],
      region: item.region,
      pathology: item.pathology,
      language: item.language,
      levels: Object.freeze([...item.levels]) as string[],
    });
    facetsCache.set(item, facets);
  }
  return facets;
}

/**
 * Scores one item from its stored raw output (null = the model gave none). Pure: no model or judge call.
 * MCQ → 0/1 with the extracted letter and, for level questions, the level score. Report → the deterministic
 * check, or the judge score when a stored judge outcome is passed.
 */
export function scoreItem(item: Item, rawOutput: string | null, options: ScoreItemOptions = {}): ItemScore {
  const base = { itemId: item.id, part: partOf(item), facets: facetsOf(item), scorerVersion: SCORER_VERSION, noOutput: rawOutput === null };
  if (item.task === 'mcq') return scoreMcq(item, rawOutput, base);
  const check = rawOutput === null ? null : reportCheckMetric.compute(item, rawOutput);
  const deterministic: ReportItemScore = { ...base, task: 'report', score: check?.score ?? MISSING_REPORT_SCORE.deterministic, method: 'deterministic', check, judge: null };
  return options.judge ? withJudge(deterministic, options.judge) : deterministic;
}

function scoreMcq(item: McqItem, rawOutput: string | null, base: ItemScoreBase): McqItemScore {
  const choice = rawOutput === null ? ({ letter: null, reason: 'none' } as const) : mcqChoiceMetric.compute(item, rawOutput);
  const levels = isLevelQuestion(item) ? levelScoreForChoice(item, choice) : null;
  return {
    ...base,
    task: 'mcq',
    score: choice.letter === item.answer ? 1 : 0,
    detail: { letter: choice.letter, reason: choice.reason, levels },
  };
}

/**
 * Puts a judge outcome on a report score: the judge's 0–100 when scored; the judge scale's floor when there was
 * no report to rate (missing or blank, docs/decisions/127); else null (malformed or failed: marked, never guessed). Pure.
 */
export function withJudge(score: ReportItemScore, judge: JudgeOutcome): ReportItemScore {
  const value =
    score.noOutput || judge.status === 'no_report' ? MISSING_REPORT_SCORE.judge : judge.status === 'scored' ? judge.rubric.score : null;
  return { ...score, method: 'judge', score: value, judge };
}

