import { and, eq, inArray, sql } from 'drizzle-orm';
import type { ImageMediaType, StoredItem } from '../../benchmark/item-schema';
import type { Database } from '../client';
import { items, releases } from '../schema';

/**
 * Whether an image may be shown to anyone: it must belong to a dev-split item of a published or
 * deprecated release. Returns its media type, or null (unknown hash, hidden test image, draft release).
 * The image filter is a jsonb containment on `payload->'images'`, served by the partial GIN index
 * `items_dev_images` (db/schema.ts), so the lookup does not scan the hidden split.
 */
export async function findPublicDevImage(db: Database, sha256: string): Promise<{ mediaType: ImageMediaType } | null> {
  const [row] = await db
    .select({ payload: items.payload })
    .from(items)
    .innerJoin(releases, eq(releases.id, items.releaseId))
    .where(
      and(
        // A literal (not a bind parameter), so the planner can match the partial index's predicate.
        sql`${items.split} = 'dev'`,
        sql`(${items.payload} -> 'images') @> ${JSON.stringify([{ sha256 }])}::jsonb`,
        inArray(releases.status, ['published', 'deprecated']),
      ),
    )
    .limit(1);
  if (!row) return null;
  const image = (row.payload as StoredItem).images.find((i) => i.sha256 === sha256);
  return image ? { mediaType: image.mediaType } : null;
}
