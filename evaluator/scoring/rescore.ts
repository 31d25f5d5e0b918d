import type { Item } from '../../benchmark/item-schema';
import { SCORER_VERSION } from './version';
import { scoreItem, type ItemScore } from './item-score';

export interface RescoredItem {
  next: ItemScore;
  /** False when the stored score already is what the current scorer gives (nothing to write). */
  changed: boolean;
}

/**
 * One stored answer re-scored with the current SCORER_VERSION, the only re-scoring rule (workers/rescore-run.ts
 * applies it to every item of a run). A report keeps its judge outcome only when the current judge
 * configuration (`currentJudgeVersion`) made it; otherwise it is scored without one and judged again later.
 * Pure: no model call, no judge call, no I/O.
 */
export function rescoreStoredItem(item: Item, rawOutput: string | null, previous: ItemScore, currentJudgeVersion: string | null): RescoredItem {
  const keptJudge = previous.task === 'report' && previous.judge?.judge.configVersion === currentJudgeVersion ? previous.judge : null;
  const next = scoreItem(item, rawOutput, { judge: keptJudge });
  const changed = previous.scorerVersion !== SCORER_VERSION || JSON.stringify(previous) !== JSON.stringify(next);
  return { next, changed };
}
