/**
 * Collates the model inputs of several prompts (each built alone by buildModelInputs, batch 1) into one
 * batch: token ids left-padded to the longest prompt, attention mask 0 on the pads, image inputs
 * concatenated in prompt order. Pure; runs inside the runner child.
 *
 * Left padding keeps every row's last position its real last token, so one logits row per prompt is read
 * at the same index. Position ids are not built here: transformers.js derives them from the mask
 * (llava: cumulative sum of the mask; Qwen2-VL: get_rope_index over the unmasked tokens), which gives a
 * padded row the same positions as the prompt alone. Every architecture batches (decision 213).
 */
import { Tensor, cat } from '@huggingface/transformers';
import type { Inputs } from './model-inputs';

/** Token-aligned inputs, padded per row; everything else (pixel values, grids, sizes) is per image. */
const PAD_VALUES: Record<string, 'pad' | 0n> = { input_ids: 'pad', attention_mask: 0n, token_type_ids: 0n };

export interface CollatedBatch {
  inputs: Inputs;
  /** Left pads in each row. */
  padLengths: number[];
}

function rowIds(inputs: Inputs, key: string, where: number): BigInt64Array {
  const tensor = inputs[key] as Tensor | undefined;
  if (!tensor) {
    // A tokenizer always returns input_ids; a missing mask means every token is attended.
    if (key === 'attention_mask') return new BigInt64Array(inputs.input_ids.dims[1]).fill(1n);
    throw new Error(`Batch item ${where} has input_ids but no ${key}.`);
  }
  if (tensor.dims.length !== 2 || tensor.dims[0] !== 1) throw new Error(`Batch item ${where}: ${key} must be [1, length], got [${tensor.dims}].`);
  return tensor.data as BigInt64Array;
}

/** One batch from per-prompt inputs (each of batch 1). `padTokenId` fills input_ids left of short prompts. */
export function collateInputs(items: Inputs[], padTokenId: number): CollatedBatch {
  if (items.length === 0) throw new Error('collateInputs needs at least one prompt.');
  const lengths = items.map((item, i) => {
    if (item.input_ids.dims[0] !== 1) throw new Error(`Batch item ${i}: input_ids must hold one prompt, got batch ${item.input_ids.dims[0]}.`);
    return item.input_ids.dims[1];
  });
  const width = Math.max(...lengths);
  const padLengths = lengths.map((length) => width - length);
  const tokenKeys = Object.keys(PAD_VALUES).filter((key) => key === 'input_ids' || items.some((item) => item[key] !== undefined));
  const inputs: Record<string, unknown> = {};
  for (const key of tokenKeys) {
    const data = new BigInt64Array(items.length * width);
    const fill = PAD_VALUES[key] === 'pad' ? BigInt(padTokenId) : 0n;
    items.forEach((item, row) => {
      data.fill(fill, row * width, row * width + padLengths[row]);
      data.set(rowIds(item, key, row), row * width + padLengths[row]);
    });
    inputs[key] = new Tensor('int64', data, [items.length, width]);
  }
  const otherKeys = [...new Set(items.flatMap((item) => Object.keys(item)))].filter((key) => !(key in PAD_VALUES));
  for (const key of otherKeys) {
    const values = items.map((item) => item[key]).filter((value) => value !== undefined && value !== null);
    if (values.every((value) => value instanceof Tensor)) inputs[key] = values.length === 1 ? values[0] : cat(values as Tensor[], 0);
    else if (values.every(Array.isArray)) inputs[key] = (values as unknown[][]).flat(1);
    else throw new Error(`Cannot batch the model input "${key}" (neither tensors nor arrays in every prompt).`);
  }
  return { inputs: inputs as Inputs, padLengths };
}

