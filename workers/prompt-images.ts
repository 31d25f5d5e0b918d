import type { Item, StoredImageRef } from '../benchmark/item-schema';
import { readImage } from '../db/image-store';
import type { PromptImage, PromptImageLoader } from '../evaluator/adapters/types';

/** Reads images from the release image store by the content hash and media type the importer recorded. */
export function storedImageLoader(imageStoreDir: string): PromptImageLoader {
  return async (ref) => {
    const stored = ref as StoredImageRef;
    return { data: await readImage(imageStoreDir, stored.sha256), mimeType: stored.mediaType };
  };
}
