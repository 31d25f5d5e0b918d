/**
 * Builds model inputs (token ids, pixel values) from a chat prompt and decoded images, per
 * architecture. Runs inside the runner child.
 */
import type { Processor, RawImage, Tensor } from '@huggingface/transformers';
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
      // Qwen2VLProcessor takes (text, images) and expands each <|image_pad|> by its own grid.
      return (await (processor as unknown as (t: string, i: RawImage[]) => Promise<Inputs>)(text, images)) as Inputs;
  }
}
