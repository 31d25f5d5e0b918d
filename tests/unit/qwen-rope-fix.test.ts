import { describe, expect, it } from 'vitest';
import { textRopeDeltas } from '../../evaluator/onnx/qwen-rope-fix';

describe('textRopeDeltas', () => {
  it('is max position + 1 − length per sequence (0 without padding, negative past left padding)', () => {
    // batch 2, seq 4: [0 1 2 3] and a left-padded [1 1 0 1] (padding positions are filled with 1).
    const positions = BigInt64Array.from([0n, 1n, 2n, 3n, 1n, 1n, 0n, 1n]);
    expect(Array.from(textRopeDeltas(positions, 2, 4))).toEqual([0n, -2n]);
  });
});

describe('transformers.js Qwen2-VL text-only rope delta (the fault fixQwenTextRopeDeltas corrects)', () => {
  it('is still max + 1 + length upstream; when this fails, the library is fixed and the correction can go', async () => {
    const { Qwen2VLForConditionalGeneration, Tensor } = await import('@huggingface/transformers');
    const method = (Qwen2VLForConditionalGeneration.prototype as unknown as { _get_text_only_rope_index: (ids: unknown, mask: unknown) => [unknown, { data: BigInt64Array }] })._get_text_only_rope_index;
    const ids = new Tensor('int64', BigInt64Array.from([5n, 6n, 7n, 8n]), [1, 4]);
    const mask = new Tensor('int64', BigInt64Array.from([1n, 1n, 1n, 1n]), [1, 4]);
    const [, deltas] = method.call({}, ids, mask);
    expect(Array.from(deltas.data)).toEqual([8n]); // Hugging Face transformers: 0
  });
});
