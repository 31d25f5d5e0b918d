import { describe, expect, it } from 'vitest';
import { textRopeDeltas } from '../../evaluator/onnx/qwen-rope-fix';

describe('textRopeDeltas', () => {
  it('is max position + 1 − length per sequence (0 without padding, negative past left padding)', () => {
    // batch 2, seq 4: [0 1 2 3] and a left-padded [1 1 0 1] (padding positions are filled with 1).
    const positions = BigInt64Array.from([0n, 1n, 2n, 3n, 1n, 1n, 0n, 1n]);
    expect(Array.from(textRopeDeltas(positions, 2, 4))).toEqual([0n, -2n]);
  });
});
