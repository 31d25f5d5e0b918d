/**
 * The reference for perf/onnx-throughput.ts: a bare onnxruntime-node greedy loop over the three llava
 * sessions (embed tokens, encode image, splice features into the image-token rows, decoder with KV
 * cache, argmax), with no transformers.js in the loop. Inputs (token ids, pixel values) are prepared
 * once by the caller.
 */
import * as ort from 'onnxruntime-node';
import { argmax } from '../evaluator/onnx/greedy-generate';
import { openBareSessions, spliceImageFeatures, type BareDevice } from './bare-onnx-sessions';

export type { BareDevice } from './bare-onnx-sessions';

export interface BareLlava {
  generate(inputIds: bigint[], pixelValues: ort.Tensor | null, newTokens: number): Promise<number[]>;
  release(): Promise<void>;
}

export async function loadBareLlava(modelDir: string, device: BareDevice, imageTokenId: number, eosTokenId: number): Promise<BareLlava> {
  const sessions = await openBareSessions(modelDir, device);
  return {
    async generate(inputIds, pixelValues, newTokens) {
      let embeds = await sessions.embedIds(inputIds);
      if (pixelValues) {
        const features = (await sessions.vision.run({ pixel_values: pixelValues })).image_features.data as Float32Array;
        spliceImageFeatures(embeds, inputIds, imageTokenId, features);
      }
      let past = sessions.emptyCache();
      const out: number[] = [];
      let total = inputIds.length;
      let positions = Array.from({ length: inputIds.length }, (_, i) => BigInt(i));
      for (;;) {
        const result = await sessions.decoder.run({
          inputs_embeds: embeds,
          attention_mask: new ort.Tensor('int64', new BigInt64Array(total).fill(1n), [1, total]),
          position_ids: new ort.Tensor('int64', BigInt64Array.from(positions), [1, positions.length]),
          ...past,
        });
        const logits = result.logits;
        const vocab = logits.dims[2];
        const best = argmax((logits.data as Float32Array).subarray((logits.dims[1] - 1) * vocab));
        out.push(best);
        if (best === eosTokenId || out.length >= newTokens) {
          sessions.releaseOnDevice(past, result);
          return out;
        }
        past = sessions.nextCache(result, past);
        embeds = await sessions.embedIds([best]);
        positions = [BigInt(total)];
        total += 1;
      }
    },
    release: () => sessions.release(),
  };
}
