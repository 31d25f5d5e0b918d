/**
 * Greedy generation on a loaded transformers.js model, driving its own per-step pieces
 * (prepare_inputs_for_generation, forward, logits processors, stopping criteria, all built from the
 * model's generation_config exactly as `generate` builds them) but with lean cache bookkeeping between
 * steps. See docs/decisions/210-onnx-greedy-loop.md for why this replaces `model.generate`.
 *
 * One prompt at a time (batch 1): the runner child never batches.
 *
 * Tensors kept on a device (WebGPU/CUDA `gpu-buffer`) are freed by hand: each step's cache replaces the
 * previous one, which is disposed, and the last step's outputs are disposed when generation ends. Without
 * this a 21 GB model's GPU memory grew to ~60 GB over six short generations.
 */
import { DynamicCache, Tensor, type PreTrainedModel } from '@huggingface/transformers';
import type { Inputs } from './model-inputs';

type ModelInputs = Record<string, unknown> & { attention_mask?: Tensor | null };
type GenerationConfig = { max_length: number | null };

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

/** The attention mask one position longer (the new token is attended). */
function extendMask(mask: Tensor): Tensor {
  const length = mask.dims[1];
  const data = new BigInt64Array(length + 1);
  data.set(mask.data as BigInt64Array);
  data[length] = 1n;
  return new Tensor('int64', data, [1, length + 1]);
}

/**
 * The last position's logits as a [1, vocab] float32 tensor: a view, not Tensor.slice (a generic
 * per-element copy that showed up in profiles); converted only when the model returns fp16 logits.
 */
function lastRow(logits: Tensor): Tensor {
  const [, length, vocab] = logits.dims;
  const data = logits.data as Float32Array;
  return new Tensor(logits.type as 'float32', data.subarray((length - 1) * vocab, length * vocab), [1, vocab]).to('float32');
}

/** Returns the generated token ids (EOS included when it ended generation), at most maxNewTokens. */
export async function greedyGenerate(model: PreTrainedModel, inputs: Inputs, maxNewTokens: number): Promise<bigint[]> {
  if (inputs.input_ids.dims[0] !== 1) throw new Error('greedyGenerate takes one prompt at a time');
  const parts = model as unknown as GenerationParts;
  const config = parts._prepare_generation_config(null, { max_new_tokens: maxNewTokens, do_sample: false, num_beams: 1 });
  const promptLength = inputs.input_ids.dims[1];
  config.max_length = promptLength + maxNewTokens;
  const processLogits = parts._get_logits_processor(config, promptLength);
  const shouldStop = parts._get_stopping_criteria(config);
  const ids = [Array.from(inputs.input_ids.data as BigInt64Array)];
  let modelInputs = parts._prepare_model_inputs({ inputs: null, model_kwargs: inputs }).model_inputs;

  let outputs: Record<string, Tensor> | undefined;
  try {
    for (;;) {
      modelInputs = parts.prepare_inputs_for_generation(ids, modelInputs, config);
      outputs = await parts.forward(modelInputs);
      const logits = processLogits(ids, lastRow(outputs.logits));
      const next = BigInt(argmax(logits.data as Float32Array));
      ids[0].push(next);
      if (shouldStop(ids)[0]) break;
      // Image inputs are consumed by the first (prefill) step; position ids are derived again from the
      // mask (or the model's rope deltas) by prepare_inputs_for_generation / forward.
      const { pixel_values: _pixels, position_ids: _positions, ...rest } = modelInputs;
      const previous = modelInputs.past_key_values as Record<string, unknown> | undefined;
      const cache = nextCache(outputs);
      modelInputs = {
        ...rest,
        input_ids: new Tensor('int64', BigInt64Array.of(next), [1, 1]),
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
  return ids[0].slice(promptLength);
}
