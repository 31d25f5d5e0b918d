import { and, eq, inArray, sql } from 'drizzle-orm';
import type { ImageMediaType } from '../../benchmark/item-schema';
import type { Database } from '../client';
import { items, releases } from '../schema';

/**
 * Whether an image may be shown to anyone: it must belong to a dev-split item of a published or
 * deprecated release. Returns its media type, or null (unknown hash, hidden test image, draft release).
 * Postgres walks the non-draft releases and, through the index `items_release_split`, only their dev
 * items, testing each one's `payload->'images'` by jsonb containment: the hidden split is never scanned
 * (perf/dev-image-lookup.ts; docs/decisions/191-public-image-lookup.md).
 */
export async function findPublicDevImage(db: Database, sha256: string): Promise<{ mediaType: ImageMediaType } | null> {
  const [row] = await db
    .select({ payload: items.payload })
    .from(items)
    .innerJoin(releases, eq(releases.id, items.releaseId))
    .where(
      and(
        eq(items.split, 'dev'),
        sql`(${items.payload} -> 'images') @> ${JSON.stringify([{ sha256 }])}::jsonb`,
        inArray(releases.status, ['published', 'deprecated']),
      ),
    )
    .limit(1);
  if (!row) return null;
  const image = row.payload.images.find((i) => i.sha256 === sha256);
  return image ? { mediaType: image.mediaType } : null;
}
