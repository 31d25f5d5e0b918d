import type { Item } from '../../benchmark/item-schema';
import type { JudgeOutcome } from '../judge/client';
import { aggregateRun, type RunAggregate } from './aggregate';
import type { BootstrapOptions } from './bootstrap';
import { scoreItem, type ItemScore } from './item-score';

export interface RescoreOptions {
  /** Stored judge outcomes by item id (a re-score never calls the judge; re-judging is a separate step). */
  judgeOutcomes?: ReadonlyMap<string, JudgeOutcome>;
  bootstrap?: BootstrapOptions;
}

export interface RescoreResult {
  scores: ItemScore[];
  aggregate: RunAggregate;
  /** Items of the release with no stored output entry at all (the run did not reach them). */
  missing: string[];
}

/**
 * Re-scores a run from its stored raw outputs with the current SCORER_VERSION. Pure: no model call, no judge
 * call, no I/O. `rawOutputs` maps item id → raw output, or null where the model produced none.
 */
export function rescoreOutputs(
  items: ReadonlyArray<Item>,
  rawOutputs: ReadonlyMap<string, string | null> | Readonly<Record<string, string | null>>,
  options: RescoreOptions = {},
): RescoreResult {
  const lookup = rawOutputs instanceof Map ? rawOutputs : new Map(Object.entries(rawOutputs));
  const known = new Set(items.map((i) => i.id));
  for (const id of lookup.keys()) {
    if (!known.has(id)) throw new Error(`rescoreOutputs: stored output for unknown item "${id}"`);
  }
  const scores: ItemScore[] = [];
  const missing: string[] = [];
  for (const item of items) {
    if (!lookup.has(item.id)) {
      missing.push(item.id);
      continue;
    }
    scores.push(scoreItem(item, lookup.get(item.id) ?? null, { judge: options.judgeOutcomes?.get(item.id) ?? null }));
  }
  return { scores, aggregate: aggregateRun(scores, options.bootstrap), missing };
}
