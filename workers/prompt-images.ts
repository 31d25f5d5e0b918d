import type { Item } from '../benchmark/item-schema';
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

/** The walking skeleton's demo release keeps image bytes inside the item payload. */
export const inlineImageLoader: ImageLoader = async (ref) =>
  Buffer.from((ref as unknown as { dataBase64: string }).dataBase64, 'base64');
