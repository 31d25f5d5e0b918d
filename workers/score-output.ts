import type { Item } from '../benchmark/item-schema';
import { extractChoice } from '../evaluator/scoring/choice';

export const SCORER_VERSION = 'mcq-accuracy@1';

/** Scores one raw model output against its item. Pure. */
export function scoreOutput(item: Item, output: string): { score: number; detail: unknown } {
  if (item.task !== 'mcq') return { score: 0, detail: { unsupported: item.task } };
  const choice = extractChoice(output, item.options);
  return { score: choice.letter === item.answer ? 1 : 0, detail: choice };
}
