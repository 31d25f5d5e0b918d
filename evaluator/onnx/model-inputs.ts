/**
 * Builds model inputs (token ids, pixel values) from a chat prompt and decoded images, per
 * architecture. Runs inside the runner child.
 */
import { Tensor, type Processor, type RawImage } from '@huggingface/transformers';
import type { SupportedArchitecture } from './architectures';

/** Tokenizer/processor output: token ids (int64, batch 1), attention mask, image inputs. */
export type Inputs = Record<string, unknown> & { input_ids: Tensor };

/**
 * transformers.js 4.3's LlavaProcessor expands only the first image token (String.replace), so a
 * prompt with several images would fail with "Number of tokens and features do not match". This does
 * what the Python LlavaProcessor does: every image token becomes one run of feature tokens.
 */
async function llavaInputs(processor: Processor, text: string, images: RawImage[]): Promise<Inputs> {
  const p = processor as unknown as {
    image_processor: (images: RawImage[]) => Promise<{ pixel_values: { dims: number[] } }>;
    tokenizer: (text: string) => Inputs;
    config: { image_token: string; patch_size: number; num_additional_image_tokens?: number };
  };
  const imageInputs = await p.image_processor(images);
  const [height, width] = imageInputs.pixel_values.dims.slice(-2);
  const { image_token, patch_size, num_additional_image_tokens = 0 } = p.config;
  const perImage = Math.floor(height / patch_size) * Math.floor(width / patch_size) + num_additional_image_tokens;
  const expanded = text.split(image_token).join(image_token.repeat(perImage));
  return { ...imageInputs, ...p.tokenizer(expanded) };
}

/**
 * transformers.js 4.3's Qwen2VLImageProcessor treats a batch of images as the frames of one video
 * (grid_t = images / 2, one grid row), so a prompt with two images fails in Qwen2VLProcessor. This
 * does what the Python processor does: each image is patched on its own, the patches are stacked
 * [sum N_i, 1176] with one grid row [t, h, w] per image, and each <|image_pad|> becomes t·h·w / merge²
 * tokens.
 */
async function qwenInputs(processor: Processor, text: string, images: RawImage[]): Promise<Inputs> {
  const p = processor as unknown as {
    image_processor: ((images: RawImage[]) => Promise<{ pixel_values: Tensor; image_grid_thw: Tensor }>) & { config: { merge_size: number } };
    tokenizer: (text: string) => Inputs;
  };
  const perImage = [];
  for (const image of images) perImage.push(await p.image_processor([image]));
  const parts = text.split(QWEN_IMAGE_TOKEN);
  if (parts.length - 1 !== images.length) throw new Error(`the prompt has ${parts.length - 1} ${QWEN_IMAGE_TOKEN} tokens for ${images.length} images`);
  const merge = p.image_processor.config.merge_size ** 2;
  const grids = perImage.map((out) => Array.from(out.image_grid_thw.data as BigInt64Array));
  const expanded = parts.reduce((acc, part, i) => acc + QWEN_IMAGE_TOKEN.repeat(Number(grids[i - 1].reduce((a, b) => a * b, 1n)) / merge) + part);
  const rows = perImage.map((out) => out.pixel_values.data as Float32Array);
  const pixels = new Float32Array(rows.reduce((n, r) => n + r.length, 0));
  rows.reduce((offset, r) => (pixels.set(r, offset), offset + r.length), 0);
  const width = perImage[0].pixel_values.dims[1];
  return {
    ...p.tokenizer(expanded),
    pixel_values: new Tensor('float32', pixels, [pixels.length / width, width]),
    image_grid_thw: new Tensor('int64', BigInt64Array.from(grids.flat()), [images.length, 3]),
  };
}
const QWEN_IMAGE_TOKEN = '<|image_pad|>';

export async function buildModelInputs(
  architecture: SupportedArchitecture,
  processor: Processor,
  text: string,
  images: RawImage[],
): Promise<Inputs> {
  const tokenizer = (processor as unknown as { tokenizer: (t: string) => Inputs }).tokenizer;
  if (images.length === 0) return tokenizer(text);
  switch (architecture) {
    case 'llava':
      return llavaInputs(processor, text, images);
    case 'qwen2_vl':
    case 'qwen2_5_vl':
      return qwenInputs(processor, text, images);
  }
}
