import { createHash } from 'node:crypto';
import { buildDemoRelease } from '../benchmark/demo-release';
import type { Database } from './client';
import { findReleaseBySlug, releaseSlug } from './queries/releases';
import { items, releases } from './schema';

/** Imports the built-in demo release once; returns its id. Images travel inside the payload for now. */
export async function ensureDemoRelease(db: Database): Promise<number> {
  const demo = buildDemoRelease();
  const existing = await findReleaseBySlug(db, releaseSlug(demo.manifest));
  if (existing) return existing.id;
  const hash = createHash('sha256').update(JSON.stringify(demo.items)).digest('hex');
  return db.transaction(async (tx) => {
    const [release] = await tx
      .insert(releases)
      .values({ ...demo.manifest, status: 'published', contentHash: hash, manifest: demo.manifest, publishedAt: new Date() })
      .returning();
    await tx.insert(items).values(
      demo.items.map((item, ordinal) => ({
        releaseId: release.id,
        itemKey: item.id,
        split: item.split,
        task: item.task,
        ordinal,
        payload: {
          ...item,
          images: item.images.map((img) => ({ ...img, dataBase64: Buffer.from(demo.images.get(img.file)!).toString('base64') })),
        },
      })),
    );
    return release.id;
  });
}
