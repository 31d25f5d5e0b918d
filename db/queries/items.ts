import { and, asc, eq, inArray, notExists, sql } from 'drizzle-orm';
import type { Database } from '../client';
import { itemResults, items } from '../schema';

/** The items among `ids` that have no committed result in the run yet (what a resumed shard still has to do). */
export async function listPendingItems(db: Database, runId: number, ids: number[]) {
  if (ids.length === 0) return [];
  const committed = db
    .select({ one: sql`1` })
    .from(itemResults)
    .where(and(eq(itemResults.runId, runId), eq(itemResults.itemId, items.id)));
  return db
    .select()
    .from(items)
    .where(and(inArray(items.id, ids), notExists(committed)))
    .orderBy(asc(items.ordinal));
}
