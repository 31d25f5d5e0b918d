import type { Item, StoredImageRef } from '../benchmark/item-schema';
import { readImage } from '../db/image-store';
import type { PromptImage } from '../evaluator/adapters/types';

/** Reads the bytes of one stored image reference of an item. */
export type ImageLoader = (ref: Item['images'][number]) => Promise<Uint8Array>;

function mimeTypeOf(bytes: Uint8Array): PromptImage['mimeType'] {
  return bytes[0] === 0xff && bytes[1] === 0xd8 ? 'image/jpeg' : 'image/png';
}

export async function loadPromptImages(load: ImageLoader, item: Item): Promise<PromptImage[]> {
  return Promise.all(
    item.images.map(async (ref) => {
      const data = await load(ref);
      return { data, mimeType: mimeTypeOf(data) };
    }),
  );
}

/** Reads images from the release image store by the content hash the importer recorded. */
export function storedImageLoader(imageStoreDir: string): ImageLoader {
  return (ref) => readImage(imageStoreDir, (ref as StoredImageRef).sha256);
}
