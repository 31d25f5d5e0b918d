import { and, asc, eq } from 'drizzle-orm';
import type { Database } from '../client';
import { items, releases } from '../schema';

export type ReleaseRow = typeof releases.$inferSelect;

/** URL slug of a release: `name@version`. */
export function releaseSlug(r: { name: string; version: string }): string {
  return `${r.name}@${r.version}`;
}

export async function listVisibleReleases(db: Database): Promise<ReleaseRow[]> {
  const rows = await db.select().from(releases).orderBy(asc(releases.name), asc(releases.version));
  return rows.filter((r) => r.status !== 'draft');
}

export async function findReleaseBySlug(db: Database, slug: string): Promise<ReleaseRow | undefined> {
  const at = slug.lastIndexOf('@');
  if (at <= 0) return undefined;
  const [row] = await db
    .select()
    .from(releases)
    .where(and(eq(releases.name, slug.slice(0, at)), eq(releases.version, slug.slice(at + 1))));
  return row;
}

/** Ids of a release split's items in release order: what a run is planned from (payloads stay in the database). */
export async function listItemIds(db: Database, releaseId: number, split: 'dev' | 'test'): Promise<number[]> {
  const rows = await db
    .select({ id: items.id })
    .from(items)
    .where(and(eq(items.releaseId, releaseId), eq(items.split, split)))
    .orderBy(asc(items.ordinal));
  return rows.map((r) => r.id);
}
