/**
 * The KV-cache leak (issue 13): every step's previous cache must be freed when it lives on a device. A stand-in
 * model returns device-resident (`gpu-buffer`) tensors that count themselves; after 30 generations (batch 1 and batched) none is left.
 */
import { describe, expect, it } from 'vitest';
import { Tensor, type PreTrainedModel } from '@huggingface/transformers';
import { greedyGenerate, greedyGenerateBatch } from '../../evaluator/onnx/greedy-generate';
import type { Inputs } from '../../evaluator/onnx/model-inputs';

const VOCAB = 8;
const EOS = 7;

/** Device tensors alive right now (made and not yet disposed). */
const live = new Set<object>();
function deviceTensor(dims: number[]) {
  const t = new Tensor('float32', new Float32Array(dims.reduce((a, b) => a * b, 1)), dims);
  // As a WebGPU or CUDA output would be: data kept on the device until disposed.
  Object.defineProperty(t, 'location', { get: () => 'gpu-buffer' });
  Object.defineProperty(t, 'dispose', { value: () => void live.delete(t) });
  live.add(t);
  return t;
}

/**
 * A two-layer decoder stand-in, with its cache on the "device": row r answers `length + r` tokens then EOS
 * (batch 1: `length` tokens).
 */
function fakeModel(length: number): PreTrainedModel {
  let step = 0;
  const parts = {
    _prepare_generation_config: () => ({ max_length: null, eos_token_id: EOS }),
    _prepare_model_inputs: ({ model_kwargs }: { model_kwargs: Inputs }) => ({ model_inputs: { ...model_kwargs } }),
    _get_logits_processor: () => (_ids: bigint[][], logits: Tensor) => logits,
    _get_stopping_criteria: (config: { max_length: number }) => (ids: bigint[][]) => [ids[0].at(-1) === BigInt(EOS) || ids[0].length >= config.max_length],
    prepare_inputs_for_generation: (_ids: bigint[][], inputs: Record<string, unknown>) => inputs,
    forward: async (inputs: { input_ids: Tensor }) => {
      const rows = inputs.input_ids.dims[0];
      step++;
      // Logits stay on the host here (the loop reads them); the cache is device-resident.
      const logits = new Tensor('float32', new Float32Array(rows * VOCAB), [rows, 1, VOCAB]);
      for (let r = 0; r < rows; r++) (logits.data as Float32Array)[r * VOCAB + (step <= length + r ? 1 + (step % 5) : EOS)] = 1;
      return {
        logits,
        'present.0.key': deviceTensor([rows, 2, step, 4]),
        'present.0.value': deviceTensor([rows, 2, step, 4]),
        'present.1.key': deviceTensor([rows, 2, step, 4]),
        'present.1.value': deviceTensor([rows, 2, step, 4]),
      };
    },
  };
  return parts as unknown as PreTrainedModel;
}

const prompt = (length = 3): Inputs =>
  ({
    input_ids: new Tensor('int64', BigInt64Array.from({ length }, (_, i) => BigInt(1 + (i % 5))), [1, length]),
    attention_mask: new Tensor('int64', new BigInt64Array(length).fill(1n), [1, length]),
  }) as unknown as Inputs;

describe('greedyGenerate frees device tensors', () => {
  it('leaves no cache tensor alive after each of 30 generations', async () => {
    for (let g = 0; g < 30; g++) {
      const ids = await greedyGenerate(fakeModel(5 + (g % 4)), prompt(), 16);
      expect(ids.at(-1)).toBe(BigInt(EOS));
      expect(live.size, `generation ${g}`).toBe(0);
    }
  });

  it('frees them when generation stops at maxNewTokens, too', async () => {
    const ids = await greedyGenerate(fakeModel(100), prompt(), 6);
    expect(ids).toHaveLength(6);
    expect(live.size).toBe(0);
  });
});

describe('greedyGenerateBatch frees device tensors', () => {
  it('leaves no cache tensor alive after each of 30 batched generations (rows stopping at different steps)', async () => {
    for (let g = 0; g < 30; g++) {
      const size = 2 + (g % 3);
      const out = await greedyGenerateBatch(fakeModel(3 + (g % 4)), Array.from({ length: size }, (_, r) => prompt(2 + r)), 16);
      expect(out).toHaveLength(size);
      out.forEach((ids, r) => expect(ids, `generation ${g} row ${r}`).toHaveLength(3 + (g % 4) + r + 1));
      for (const ids of out) expect(ids.at(-1)).toBe(BigInt(EOS));
      expect(live.size, `generation ${g}`).toBe(0);
    }
  });
});
