/**
 * Greedy generation on a loaded transformers.js model, driving its own per-step pieces
 * (prepare_inputs_for_generation, forward, logits processors, stopping criteria, all built from the
 * model's generation_config exactly as `generate` builds them) but with lean cache bookkeeping between
 * steps. See docs/decisions/210-onnx-greedy-loop.md for why this replaces `model.generate`.
 *
 * Several prompts at once (greedyGenerateBatch, decision 213): left-padded by collateInputs, one forward
 * per step for the whole batch, and per row its own logits processors and stopping criteria over its own
 * (unpadded) ids, so each row's tokens are those the prompt gets alone. A finished row keeps feeding the
 * pad token until every row is done; its output ends at its EOS.
 *
 * Tensors kept on a device (WebGPU/CUDA `gpu-buffer`) are freed by hand: each step's cache replaces the
 * previous one, which is disposed, and the last step's outputs are disposed when generation ends. Without
 * this a 21 GB model's GPU memory grew to ~60 GB over six short generations.
 */
import { DynamicCache, Tensor, type PreTrainedModel } from '@huggingface/transformers';
import { collateInputs } from './batch-inputs';
import type { Inputs } from './model-inputs';

type ModelInputs = Record<string, unknown> & { attention_mask?: Tensor | null };
type GenerationConfig = { max_length: number | null; pad_token_id?: number | null; eos_token_id?: number | number[] | null };

/** The transformers.js 4.3 members `generate` itself is made of (public or underscore-named). */
interface GenerationParts {
  _prepare_generation_config(config: null, kwargs: Record<string, unknown>): GenerationConfig;
  _prepare_model_inputs(args: { inputs: null; model_kwargs: Inputs }): { model_inputs: ModelInputs };
  _get_logits_processor(config: GenerationConfig, inputLength: number): (ids: bigint[][], logits: Tensor) => Tensor;
  _get_stopping_criteria(config: GenerationConfig): (ids: bigint[][]) => boolean[];
  prepare_inputs_for_generation(ids: bigint[][], inputs: ModelInputs, config: GenerationConfig): ModelInputs;
  forward(inputs: ModelInputs): Promise<Record<string, Tensor>>;
}

/** Index of the first maximum (the same tie rule as transformers.js's GreedySampler). */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/** The next step's cache: every `present*` output becomes the matching `past_key_values*` input. */
function nextCache(outputs: Record<string, Tensor>): DynamicCache {
  const entries: Record<string, Tensor> = {};
  for (const name in outputs) if (name.startsWith('present')) entries[name.replace('present', 'past_key_values')] = outputs[name];
  return new DynamicCache(entries);
}

interface DisposableTensor {
  location?: string;
  dispose?: () => void;
}

/** Frees the device-resident tensors among `tensors` that `keep` does not hold. */
export function disposeDeviceTensors(tensors: Iterable<unknown>, keep: ReadonlySet<unknown> = new Set()): void {
  for (const t of tensors) {
    const tensor = t as DisposableTensor;
    if (tensor && tensor.location === 'gpu-buffer' && !keep.has(t)) tensor.dispose?.();
  }
}

/** The attention mask one position longer in every row (the new token is attended). */
function extendMask(mask: Tensor): Tensor {
  const [rows, length] = mask.dims;
  const old = mask.data as BigInt64Array;
  const data = new BigInt64Array(rows * (length + 1));
  for (let r = 0; r < rows; r++) {
    data.set(old.subarray(r * length, (r + 1) * length), r * (length + 1));
    data[r * (length + 1) + length] = 1n;
  }
  return new Tensor('int64', data, [rows, length + 1]);
}

/**
 * Row `row`'s last-position logits as a [1, vocab] float32 tensor: a view, not Tensor.slice (a generic
 * per-element copy that showed up in profiles); converted only when the model returns fp16 logits.
 * With left padding the last position is every row's real last token.
 */
function lastRow(logits: Tensor, row: number): Tensor {
  const [, length, vocab] = logits.dims;
  const start = (row * length + length - 1) * vocab;
  const data = logits.data as Float32Array;
  return new Tensor(logits.type as 'float32', data.subarray(start, start + vocab), [1, vocab]).to('float32');
}

/** One prompt's state: its own ids (no pads), processors and stopping criteria, as at batch 1. */
interface Row {
  ids: bigint[];
  promptLength: number;
  processLogits: (ids: bigint[][], logits: Tensor) => Tensor;
  shouldStop: (ids: bigint[][]) => boolean[];
  done: boolean;
}

/** The pad token: the generation config's, else its (first) EOS, else 0 (a pad is never attended). */
function defaultPad(config: GenerationConfig): number {
  const eos = Array.isArray(config.eos_token_id) ? config.eos_token_id[0] : config.eos_token_id;
  return config.pad_token_id ?? (eos !== undefined && eos !== null && eos >= 0 ? eos : 0);
}

/**
 * Generates for several prompts at once; returns each prompt's generated ids (EOS included when it ended
 * that row), at most maxNewTokens each, in prompt order. `items` are per-prompt inputs of batch 1.
 */
export async function greedyGenerateBatch(
  model: PreTrainedModel,
  items: Inputs[],
  maxNewTokens: number,
  padTokenId?: number,
): Promise<bigint[][]> {
  const parts = model as unknown as GenerationParts;
  const options = { max_new_tokens: maxNewTokens, do_sample: false, num_beams: 1 };
  const config = parts._prepare_generation_config(null, options);
  const pad = BigInt(padTokenId ?? defaultPad(config));
  const { inputs } = collateInputs(items, Number(pad));
  const rows: Row[] = items.map((item) => {
    const promptLength = item.input_ids.dims[1];
    // Each row its own max_length (prompt + new tokens) and processors built for its prompt length.
    const rowConfig = { ...parts._prepare_generation_config(null, options), max_length: promptLength + maxNewTokens };
    return {
      ids: Array.from(item.input_ids.data as BigInt64Array),
      promptLength,
      processLogits: parts._get_logits_processor(rowConfig, promptLength),
      shouldStop: parts._get_stopping_criteria(rowConfig),
      done: false,
    };
  });
  config.max_length = inputs.input_ids.dims[1] + maxNewTokens;
  let modelInputs = parts._prepare_model_inputs({ inputs: null, model_kwargs: inputs }).model_inputs;

  let outputs: Record<string, Tensor> | undefined;
  try {
    for (;;) {
      modelInputs = parts.prepare_inputs_for_generation(
        rows.map((row) => row.ids),
        modelInputs,
        config,
      );
      // Images are consumed by the prefill; no decode step may pass pixel_values, not even as the null that
      // Qwen's prepare_inputs_for_generation sets: transformers.js 4.3's image-text forward takes any
      // pixel_values key on a decode step for "images with a cache" and replaces the attention mask with
      // ones, so padded rows would attend their pads from the second token on (decision 213).
      if (modelInputs.past_key_values) delete modelInputs.pixel_values;
      outputs = await parts.forward(modelInputs);
      const next = new BigInt64Array(rows.length).fill(pad);
      rows.forEach((row, r) => {
        if (row.done) return;
        const logits = row.processLogits([row.ids], lastRow(outputs!.logits, r));
        next[r] = BigInt(argmax(logits.data as Float32Array));
        row.ids.push(next[r]);
        row.done = row.shouldStop([row.ids])[0];
      });
      if (rows.every((row) => row.done)) break;
      // Position ids are derived again from the mask (or the model's rope deltas) by
      // prepare_inputs_for_generation / forward.
      const { position_ids: _positions, ...rest } = modelInputs;
      const previous = modelInputs.past_key_values as Record<string, unknown> | undefined;
      const cache = nextCache(outputs);
      modelInputs = {
        ...rest,
        input_ids: new Tensor('int64', next, [rows.length, 1]),
        attention_mask: extendMask(modelInputs.attention_mask as Tensor),
        past_key_values: cache,
      };
      // The previous step's cache and this step's other outputs (logits) are no longer needed.
      const kept = new Set<unknown>(Object.values(cache));
      if (previous) disposeDeviceTensors(Object.values(previous), kept);
      disposeDeviceTensors(Object.values(outputs), kept);
      outputs = undefined;
    }
  } finally {
    // The last step's outputs and the cache that fed it.
    if (outputs) disposeDeviceTensors(Object.values(outputs));
    const last = modelInputs.past_key_values as Record<string, unknown> | undefined;
    if (last) disposeDeviceTensors(Object.values(last));
  }
  return rows.map((row) => row.ids.slice(row.promptLength));
}

/** One prompt (inputs of batch 1): its generated ids, EOS included when it ended generation. */
export async function greedyGenerate(model: PreTrainedModel, inputs: Inputs, maxNewTokens: number): Promise<bigint[]> {
  if (inputs.input_ids.dims[0] !== 1) throw new Error('greedyGenerate takes one prompt at a time');
  return (await greedyGenerateBatch(model, [inputs], maxNewTokens))[0];
}
