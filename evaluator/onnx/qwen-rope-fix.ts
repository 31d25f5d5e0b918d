/**
 * A correction to transformers.js 4.3's Qwen2-VL / Qwen2.5-VL models, applied to each loaded model.
 *
 * For a prompt without images, `_get_text_only_rope_index` returns the M-RoPE delta as
 * max(position) + 1 + length where Hugging Face transformers (and the model's training) use
 * max(position) + 1 − length. Decode step k of a text-only prompt of length n then sits at position
 * 3n + k instead of n + k: the first token is right, the rest drift. The tiny Qwen fixtures caught it
 * (tests/integration/tiny-qwen-vl.test.ts compares with a bare onnxruntime loop, perf/bare-onnx-qwen.ts).
 */
import { Tensor, type PreTrainedModel } from '@huggingface/transformers';

type TextOnlyRopeIndex = (inputIds: Tensor, attentionMask: Tensor | null) => [Tensor, Tensor];

/** Per sequence, max(position) + 1 − length, from position ids [3, batch, seq] (rows equal for text). Pure. */
export function textRopeDeltas(positions: BigInt64Array, batch: number, seq: number): BigInt64Array {
  const deltas = new BigInt64Array(batch);
  for (let b = 0; b < batch; b++) {
    let max = positions[b * seq];
    for (let j = 1; j < seq; j++) if (positions[b * seq + j] > max) max = positions[b * seq + j];
    deltas[b] = max + 1n - BigInt(seq);
  }
  return deltas;
}

export function fixQwenTextRopeDeltas(model: PreTrainedModel): void {
  const m = model as unknown as { _get_text_only_rope_index?: TextOnlyRopeIndex };
  const original = m._get_text_only_rope_index;
  if (typeof original !== 'function') throw new Error('this transformers.js has no Qwen _get_text_only_rope_index to correct');
  m._get_text_only_rope_index = (inputIds, attentionMask) => {
    const [positions, deltas] = original.call(model, inputIds, attentionMask);
    if (!attentionMask) return [positions, deltas]; // that branch returns zeros, which is right
    const [, batch, seq] = positions.dims;
    return [positions, new Tensor('int64', textRopeDeltas(positions.data as BigInt64Array, batch, seq), [batch, 1])];
  };
}
