import type { Item, StoredItem } from '../../benchmark/item-schema';
import { RELEASE_FORMAT, type ReleaseManifest } from '../../benchmark/release/manifest-schema';

/** A manifest for release rows that tests and perf scripts insert directly (not through an import). */
export function fixtureManifest(name: string, version = '1'): ReleaseManifest {
  return {
    format: RELEASE_FORMAT,
    name,
    version,
    licence: 'test only',
    description: 'rows inserted by a test',
    created: '2026-01-01',
    splits: { dev: { items: 0 }, test: { items: 0 } },
    contentHash: `sha256:${'0'.repeat(64)}`,
  };
}

/** An item as `items.payload` stores it: each image gains a content hash and media type (placeholders here). */
export function asStoredItem(item: Item): StoredItem {
  return { ...item, images: item.images.map((image) => ({ ...image, sha256: '0'.repeat(64), mediaType: 'image/png' as const })) } as StoredItem;
}
