/**
 * The reference for perf/onnx-throughput.ts: a bare onnxruntime-node greedy loop over the three llava
 * sessions (embed tokens, encode image, splice features into the image-token rows, decoder with KV
 * cache, argmax), with no transformers.js in the loop. Inputs (token ids, pixel values) are prepared
 * once by the caller.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { argmax } from '../evaluator/onnx/greedy-generate';
import { RUNNER_SESSION_OPTIONS } from '../evaluator/onnx/session-options';

export interface BareLlava {
  generate(inputIds: bigint[], pixelValues: ort.Tensor | null, newTokens: number): Promise<number[]>;
  release(): Promise<void>;
}

export type BareDevice = 'cpu' | 'cuda' | 'webgpu';

/** `present.N.key/value` of every layer kept on the GPU (as transformers.js does); logits come back to the CPU. */
async function presentOnDevice(modelDir: string): Promise<Record<string, 'gpu-buffer'>> {
  const config = JSON.parse(await readFile(path.join(modelDir, 'config.json'), 'utf8')) as { text_config?: { num_hidden_layers?: number } };
  const layers = config.text_config?.num_hidden_layers ?? 0;
  return Object.fromEntries(Array.from({ length: layers }, (_, i) => [`present.${i}.key`, `present.${i}.value`]).flat().map((n) => [n, 'gpu-buffer' as const]));
}

export async function loadBareLlava(modelDir: string, device: BareDevice, imageTokenId: number, eosTokenId: number): Promise<BareLlava> {
  const options: ort.InferenceSession.SessionOptions = { ...RUNNER_SESSION_OPTIONS, executionProviders: [device] };
  const open = (name: string, extra: ort.InferenceSession.SessionOptions = {}) =>
    ort.InferenceSession.create(path.join(modelDir, 'onnx', `${name}.onnx`), { ...options, ...extra });
  // A fair reference on WebGPU keeps the KV cache on the device between steps (and frees the old one);
  // only the logits are read back.
  const onDevice = device === 'webgpu';
  const [embed, vision, decoder] = await Promise.all([
    open('embed_tokens'),
    open('vision_encoder'),
    open('decoder_model_merged', onDevice ? { preferredOutputLocation: await presentOnDevice(modelDir) } : {}),
  ]);
  const cacheNames = decoder.inputNames.filter((n) => n.startsWith('past_key_values.'));
  const cacheShape = (name: string) => {
    const meta = decoder.inputMetadata.find((m) => m.name === name) as { shape?: (number | string)[] } | undefined;
    return (meta?.shape ?? []).map((d) => (typeof d === 'number' ? d : d === 'batch_size' ? 1 : 0));
  };
  const embedIds = async (ids: bigint[]) =>
    (await embed.run({ input_ids: new ort.Tensor('int64', BigInt64Array.from(ids), [1, ids.length]) })).inputs_embeds;

  return {
    async generate(inputIds, pixelValues, newTokens) {
      let embeds = await embedIds(inputIds);
      if (pixelValues) {
        const features = (await vision.run({ pixel_values: pixelValues })).image_features.data as Float32Array;
        const data = embeds.data as Float32Array;
        const hidden = embeds.dims[2];
        let row = 0;
        inputIds.forEach((id, i) => {
          if (Number(id) === imageTokenId) data.set(features.subarray(row * hidden, ++row * hidden), i * hidden);
        });
      }
      let past: Record<string, ort.Tensor> = Object.fromEntries(cacheNames.map((n) => [n, new ort.Tensor('float32', new Float32Array(0), cacheShape(n))]));
      const out: number[] = [];
      let total = inputIds.length;
      let positions = Array.from({ length: inputIds.length }, (_, i) => BigInt(i));
      while (out.length < newTokens) {
        const feeds: Record<string, ort.Tensor> = {
          inputs_embeds: embeds,
          attention_mask: new ort.Tensor('int64', new BigInt64Array(total).fill(1n), [1, total]),
          position_ids: new ort.Tensor('int64', BigInt64Array.from(positions), [1, positions.length]),
          ...past,
        };
        const result = await decoder.run(feeds);
        const logits = result.logits;
        const vocab = logits.dims[2];
        const last = (logits.data as Float32Array).subarray((logits.dims[1] - 1) * vocab);
        const best = argmax(last);
        out.push(best);
        if (best === eosTokenId) break;
        const previous = past;
        past = Object.fromEntries(cacheNames.map((n) => [n, result[n.replace('past_key_values.', 'present.')]]));
        if (onDevice) for (const t of Object.values(previous)) if (t.location === 'gpu-buffer') t.dispose();
        embeds = await embedIds([BigInt(best)]);
        positions = [BigInt(total)];
        total += 1;
      }
      return out;
    },
    async release() {
      await Promise.all([embed.release(), vision.release(), decoder.release()]);
    },
  };
}
