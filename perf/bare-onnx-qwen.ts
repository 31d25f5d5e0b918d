/**
 * A bare onnxruntime-node greedy loop over the three Qwen2-VL / Qwen2.5-VL sessions, the reference the
 * platform's runner is checked against token for token (tests/integration/tiny-qwen-vl.test.ts).
 * No transformers.js in the loop: it embeds the tokens, encodes the images (pixel values + grid),
 * splices the features into the <|image_pad|> rows, computes the M-RoPE position ids itself
 * (mropePositions) and runs the decoder with its KV cache, taking the argmax each step.
 * Inputs (token ids, pixel values, grids) are prepared once by the caller.
 */
import * as ort from 'onnxruntime-node';
import { argmax } from '../evaluator/onnx/greedy-generate';
import { openBareSessions, spliceImageFeatures, type BareDevice } from './bare-onnx-sessions';

export interface QwenTokens {
  imageTokenId: number;
  eosTokenIds: number[];
  /** vision_config.spatial_merge_size: grid h and w shrink by it before the decoder sees them. */
  spatialMergeSize: number;
}

/**
 * M-RoPE position ids as Qwen2-VL defines them: text tokens take one position on all three rows (t, h,
 * w); an image's run of <|image_pad|> tokens takes its merged grid coordinates offset by the next free
 * position; text after it continues from the largest position so far + 1. `delta` (largest + 1 −
 * length) places decode step k of a prompt of length n at n + k + delta on every row. Pure.
 */
export function mropePositions(ids: readonly number[], grids: readonly number[][], imageTokenId: number, mergeSize: number): { rows: [number[], number[], number[]]; delta: number } {
  const rows: [number[], number[], number[]] = [[], [], []];
  let next = 0;
  let image = 0;
  for (let i = 0; i < ids.length; ) {
    if (ids[i] !== imageTokenId) {
      for (const row of rows) row.push(next);
      next++;
      i++;
      continue;
    }
    const grid = grids[image++];
    if (!grid) throw new Error(`image token at position ${i} but only ${grids.length} image grid(s)`);
    const [t, h, w] = [grid[0], grid[1] / mergeSize, grid[2] / mergeSize];
    for (let k = 0; k < t * h * w; k++) {
      rows[0].push(next + Math.floor(k / (h * w)));
      rows[1].push(next + (Math.floor(k / w) % h));
      rows[2].push(next + (k % w));
    }
    i += t * h * w;
    next += Math.max(t, h, w);
  }
  if (image !== grids.length) throw new Error(`${grids.length} image grids but ${image} image token runs`);
  return { rows, delta: next - ids.length };
}

export interface BareQwen {
  /** pixelValues [N, 1176] and grids ([t, h, w] per image) are null / empty for a text-only prompt. */
  generate(inputIds: number[], pixelValues: ort.Tensor | null, grids: number[][], newTokens: number): Promise<number[]>;
  release(): Promise<void>;
}

export async function loadBareQwen(modelDir: string, device: BareDevice, tokens: QwenTokens): Promise<BareQwen> {
  const sessions = await openBareSessions(modelDir, device);
  // grid_thw (Qwen2-VL) or image_grid_thw (Qwen2.5-VL): whatever the encoder declares besides the pixels.
  const gridInput = sessions.vision.inputNames.find((n) => n !== 'pixel_values')!;
  const positionTensor = (rows: number[][]) =>
    new ort.Tensor('int64', BigInt64Array.from(rows.flat(), BigInt), [3, 1, rows[0].length]);

  return {
    async generate(inputIds, pixelValues, grids, newTokens) {
      let embeds = await sessions.embedIds(inputIds);
      if (pixelValues) {
        const grid = new ort.Tensor('int64', BigInt64Array.from(grids.flat(), BigInt), [grids.length, 3]);
        const features = (await sessions.vision.run({ pixel_values: pixelValues, [gridInput]: grid })).image_features.data as Float32Array;
        spliceImageFeatures(embeds, inputIds, tokens.imageTokenId, features);
      }
      const { rows, delta } = mropePositions(inputIds, grids, tokens.imageTokenId, tokens.spatialMergeSize);
      let positions = positionTensor(rows);
      let past = sessions.emptyCache();
      const out: number[] = [];
      let total = inputIds.length;
      for (;;) {
        const result = await sessions.decoder.run({
          inputs_embeds: embeds,
          attention_mask: new ort.Tensor('int64', new BigInt64Array(total).fill(1n), [1, total]),
          position_ids: positions,
          ...past,
        });
        const logits = result.logits;
        const vocab = logits.dims[2];
        const best = argmax((logits.data as Float32Array).subarray((logits.dims[1] - 1) * vocab));
        out.push(best);
        if (tokens.eosTokenIds.includes(best) || out.length >= newTokens) {
          sessions.releaseOnDevice(past, result);
          return out;
        }
        past = sessions.nextCache(result, past);
        embeds = await sessions.embedIds([best]);
        positions = positionTensor([[total + delta], [total + delta], [total + delta]]);
        total += 1;
      }
    },
    release: () => sessions.release(),
  };
}
