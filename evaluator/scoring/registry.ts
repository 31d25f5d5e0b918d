import type { Item, McqItem, ReportItem } from '../../benchmark/item-schema';
import { parseLevels } from '../../benchmark/levels';
import { extractChoice, type ChoiceExtraction } from './choice';
import { scoreLevelSets, type LevelScore } from './level-score';
import { checkReport, type ReportCheck } from './report-check';

/**
 * Metric registry, after lm-evaluation-harness: every metric has a name, a version and a pure function.
 * Bump a metric's version whenever its output for the same input could change; SCORER_VERSION follows.
 */
export interface MetricDefinition<TItem extends Item, TResult> {
  name: string;
  version: number;
  description: string;
  appliesTo(item: Item): item is TItem;
  compute(item: TItem, output: string): TResult;
}

const isMcq = (item: Item): item is McqItem => item.task === 'mcq';
const isReport = (item: Item): item is ReportItem => item.task === 'report';

export const mcqChoiceMetric: MetricDefinition<McqItem, ChoiceExtraction & { correct: boolean }> = {
  name: 'mcq_choice',
  version: 1,
  description: 'Chosen option read from free text (refuses to guess); correct when it is the key.',
  appliesTo: isMcq,
  compute(item, output) {
    const choice = extractChoice(output, item.options);
    return { ...choice, correct: choice.letter === item.answer };
  },
};

/**
 * Levels each option's text names. Memoised per item object: items are immutable once parsed, and scoring
 * 100k stored outputs would otherwise re-parse the same option texts for every output.
 */
const optionLevelCache = new WeakMap<McqItem, Partial<Record<string, string[]>>>();
export function optionLevels(item: McqItem, letter: string): string[] {
  let perItem = optionLevelCache.get(item);
  if (!perItem) optionLevelCache.set(item, (perItem = {}));
  return (perItem[letter] ??= parseLevels(item.options[letter as keyof McqItem['options']] ?? ''));
}

/** Levels an MCQ item asks for: those of the keyed option's text, else the item's own levels. */
export function trueLevelsOf(item: McqItem): string[] {
  const fromKey = optionLevels(item, item.answer);
  return fromKey.length > 0 ? fromKey : item.levels;
}

export const levelSetMetric: MetricDefinition<McqItem, LevelScore | null> = {
  name: 'level_set',
  version: 2, // 2: parser reads named junctions, ordinals, continuations, chains, S2–S5; `equivalent` class (decision 128)
  description: 'Levels of the chosen option against the keyed levels: exact, P/R/F1, off-by-one vs worse. Level questions only.',
  appliesTo: (item): item is McqItem => isMcq(item) && isLevelQuestion(item),
  compute: (item, output) => levelScoreForChoice(item, extractChoice(output, item.options)),
};

/**
 * Level score of an already extracted choice: no answer names no level. An item has at most six outcomes
 * (five letters or none), so results are memoised per item and frozen (shared between scores).
 */
const levelScoreCache = new WeakMap<McqItem, Map<string, LevelScore>>();
export function levelScoreForChoice(item: McqItem, choice: ChoiceExtraction): LevelScore {
  let perItem = levelScoreCache.get(item);
  if (!perItem) levelScoreCache.set(item, (perItem = new Map()));
  const key = choice.letter ?? '';
  let score = perItem.get(key);
  if (!score) {
    const predicted = choice.letter ? optionLevels(item, choice.letter) : [];
    score = deepFreeze(scoreLevelSets(predicted, trueLevelsOf(item)));
    perItem.set(key, score);
  }
  return score;
}

function deepFreeze<T extends object>(value: T): T {
  for (const v of Object.values(value)) if (v && typeof v === 'object') Object.freeze(v);
  return Object.freeze(value);
}

/** A level question: its keyed option names a level (whatever its skill label says). */
export function isLevelQuestion(item: McqItem): boolean {
  return optionLevels(item, item.answer).length > 0;
}

export const reportCheckMetric: MetricDefinition<ReportItem, ReportCheck> = {
  name: 'report_check',
  version: 3, // 2: naming no level earns nothing, sections need content, echoes ignored, wrong-level credit (decision 127); 3: parser (128)
  description: 'Judge-free report check: key findings at the right level, invented levels, six sections.',
  appliesTo: isReport,
  compute: checkReport,
};

/** Version of the aggregation rules (part weighting, bootstrap, ranks). */
export const AGGREGATION_VERSION = 2; // 2: bootstrap draws multinomial counts (same distribution, new stream)

export const METRICS = [mcqChoiceMetric, levelSetMetric, reportCheckMetric] as const;

export function listMetrics(): Array<{ name: string; version: number; description: string }> {
  return METRICS.map(({ name, version, description }) => ({ name, version, description }));
}

export function getMetric(name: string): (typeof METRICS)[number] {
  const metric = METRICS.find((m) => m.name === name);
  if (!metric) throw new Error(`unknown metric "${name}"; known: ${METRICS.map((m) => m.name).join(', ')}`);
  return metric;
}
