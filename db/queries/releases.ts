import { and, asc, count, desc, eq, inArray, sql } from 'drizzle-orm';
import type { StoredItem } from '../../benchmark/item-schema';
import type { Database } from '../client';
import { items, releases } from '../schema';

/** Releases and their items: reads, and the lifecycle draft → published → deprecated. Writing a release: db/release-import.ts. */

export type ReleaseStatus = 'draft' | 'published' | 'deprecated';
export type ReleaseRow = typeof releases.$inferSelect;

/** A release lifecycle rule was broken (change to a published release, publish a deprecated one, …). */
export class ReleaseLifecycleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReleaseLifecycleError';
  }
}


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

export async function findReleaseByHash(db: Database, contentHash: string): Promise<ReleaseRow | null> {
  const [row] = await db.select().from(releases).where(eq(releases.contentHash, contentHash)).orderBy(asc(releases.id)).limit(1);
  return row ?? null;
}

export async function findReleaseByNameVersion(db: Database, name: string, version: string): Promise<ReleaseRow | null> {
  const [row] = await db.select().from(releases).where(and(eq(releases.name, name), eq(releases.version, version))).limit(1);
  return row ?? null;
}

export async function getRelease(db: Database, releaseId: number): Promise<ReleaseRow | null> {
  const [row] = await db.select().from(releases).where(eq(releases.id, releaseId)).limit(1);
  return row ?? null;
}

/** All releases, newest first. */
export async function listReleases(db: Database, opts: { statuses?: ReleaseStatus[] } = {}): Promise<ReleaseRow[]> {
  const query = db.select().from(releases);
  const filtered = opts.statuses ? query.where(inArray(releases.status, opts.statuses)) : query;
  return filtered.orderBy(desc(releases.createdAt), desc(releases.id));
}

/** draft → published (idempotent for a published release). */
export async function publishRelease(db: Database, releaseId: number): Promise<ReleaseRow> {
  const release = await requireRelease(db, releaseId);
  if (release.status === 'published') return release;
  if (release.status === 'deprecated') throw new ReleaseLifecycleError(`Release ${release.name} ${release.version} is deprecated and cannot be published again`);
  const [row] = await db
    .update(releases)
    .set({ status: 'published', publishedAt: new Date() })
    .where(and(eq(releases.id, releaseId), eq(releases.status, 'draft')))
    .returning();
  return row ?? requireRelease(db, releaseId);
}

/** draft or published → deprecated (idempotent). A deprecated release keeps its items and results. */
export async function deprecateRelease(db: Database, releaseId: number): Promise<ReleaseRow> {
  const release = await requireRelease(db, releaseId);
  if (release.status === 'deprecated') return release;
  const [row] = await db.update(releases).set({ status: 'deprecated' }).where(eq(releases.id, releaseId)).returning();
  return row;
}

export async function requireRelease(db: Database, releaseId: number): Promise<ReleaseRow> {
  const release = await getRelease(db, releaseId);
  if (!release) throw new ReleaseLifecycleError(`No release with id ${releaseId}`);
  return release;
}

export async function countReleaseItems(db: Database, releaseId: number): Promise<{ dev: number; test: number }> {
  const rows = await db.select({ split: items.split, n: count() }).from(items).where(eq(items.releaseId, releaseId)).groupBy(items.split);
  const counts = { dev: 0, test: 0 };
  for (const row of rows) counts[row.split] = Number(row.n);
  return counts;
}

/**
 * Public dev-split items of a release, in release order, for the item browser and dev sanity runs.
 * Only the dev split: the hidden test split never leaves the server through this function.
 */
export async function listDevItems(db: Database, releaseId: number, opts: { limit?: number; offset?: number } = {}): Promise<{ id: number; item: StoredItem }[]> {
  const rows = await db
    .select({ id: items.id, payload: items.payload })
    .from(items)
    .where(and(eq(items.releaseId, releaseId), eq(items.split, 'dev')))
    .orderBy(asc(items.ordinal))
    .limit(opts.limit ?? 1000)
    .offset(opts.offset ?? 0);
  return rows.map((row) => ({ id: row.id, item: row.payload }));
}

/** How many MCQ items of a split have each option count: the chance line of charts (evaluator/scoring/chance.ts). Counts only. */
export async function countMcqOptions(db: Database, releaseId: number, split: 'dev' | 'test'): Promise<Array<{ options: number; items: number }>> {
  const k = sql<number>`(select count(*) from jsonb_object_keys(${items.payload}->'options'))::int`;
  const rows = await db
    .select({ options: k, items: count() })
    .from(items)
    .where(and(eq(items.releaseId, releaseId), eq(items.split, split), eq(items.task, 'mcq')))
    .groupBy(k);
  return rows.map((r) => ({ options: Number(r.options), items: Number(r.items) }));
}
