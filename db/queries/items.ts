import { asc, inArray } from 'drizzle-orm';
import type { Database } from '../client';
import { items } from '../schema';

export async function listItemsByIds(db: Database, ids: number[]) {
  if (ids.length === 0) return [];
  return db.select().from(items).where(inArray(items.id, ids)).orderBy(asc(items.ordinal));
}
