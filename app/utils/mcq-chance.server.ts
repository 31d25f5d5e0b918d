import type { Database } from '../../db/client';
import { countMcqOptions } from '../../db/queries/releases';
import { chanceLevel, type ChanceLevel } from '../../evaluator/scoring/chance';

// A release's items never change once imported (its content hash says so): one count per release and process.
const memo = new Map<string, Promise<ChanceLevel | null>>();

/** The chance level of a release's hidden-split MCQs (25 on four options), for the charts' reference line. */
export function mcqChance(db: Database, release: { id: number; contentHash: string }): Promise<ChanceLevel | null> {
  const key = `${release.id}:${release.contentHash}`;
  let hit = memo.get(key);
  if (!hit) {
    hit = countMcqOptions(db, release.id, 'test').then(chanceLevel);
    hit.catch(() => memo.delete(key));
    memo.set(key, hit);
  }
  return hit;
}
