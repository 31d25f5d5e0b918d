/**
 * What the bare onnxruntime-node reference loops (bare-onnx-greedy.ts for llava, bare-onnx-qwen.ts for
 * Qwen2-VL / Qwen2.5-VL) share: the three sessions with the runner's options, token embedding, an empty
 * first cache and the step-to-step cache hand-over. On WebGPU a fair reference keeps the KV cache on the
 * device (`present.*` as 'gpu-buffer', as transformers.js does) and frees each cache once the next replaces
 * it; only the logits come back to JavaScript.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { RUNNER_SESSION_OPTIONS } from '../evaluator/onnx/session-options';

export type BareDevice = 'cpu' | 'cuda' | 'webgpu';
type Cache = Record<string, ort.Tensor>;

export interface BareSessions {
  vision: ort.InferenceSession;
  decoder: ort.InferenceSession;
  embedIds(ids: readonly (number | bigint)[]): Promise<ort.Tensor>;
  /** The first step's cache: every `past_key_values.*` with 0 positions. */
  emptyCache(): Cache;
  /** The next step's cache from a decoder result; the one it replaces is freed on the device. */
  nextCache(result: ort.InferenceSession.OnnxValueMapType, previous: Cache): Cache;
  /** Frees what a finished generation still holds on the device (its last cache and result). */
  releaseOnDevice(...held: (Cache | ort.InferenceSession.OnnxValueMapType)[]): void;
  release(): Promise<void>;
}

/** `present.N.key/value` of every layer (llava: text_config; Qwen: top level) as GPU buffers. */
async function presentOnDevice(modelDir: string): Promise<Record<string, 'gpu-buffer'>> {
  type Config = { num_hidden_layers?: number; text_config?: { num_hidden_layers?: number } };
  const config = JSON.parse(await readFile(path.join(modelDir, 'config.json'), 'utf8')) as Config;
  const layers = config.text_config?.num_hidden_layers ?? config.num_hidden_layers ?? 0;
  return Object.fromEntries(Array.from({ length: layers }, (_, i) => [`present.${i}.key`, `present.${i}.value`]).flat().map((n) => [n, 'gpu-buffer' as const]));
}

const freeOnDevice = (values: Iterable<unknown>) => {
  for (const t of values) if (t instanceof ort.Tensor && t.location === 'gpu-buffer') t.dispose();
};

export async function openBareSessions(modelDir: string, device: BareDevice): Promise<BareSessions> {
  const options: ort.InferenceSession.SessionOptions = { ...RUNNER_SESSION_OPTIONS, executionProviders: [device] };
  const open = (name: string, extra: ort.InferenceSession.SessionOptions = {}) =>
    ort.InferenceSession.create(path.join(modelDir, 'onnx', `${name}.onnx`), { ...options, ...extra });
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
  return {
    vision,
    decoder,
    async embedIds(ids) {
      const data = BigInt64Array.from(ids, (id) => BigInt(id));
      return (await embed.run({ input_ids: new ort.Tensor('int64', data, [1, ids.length]) })).inputs_embeds;
    },
    emptyCache: () => Object.fromEntries(cacheNames.map((n) => [n, new ort.Tensor('float32', new Float32Array(0), cacheShape(n))])),
    nextCache(result, previous) {
      const next = Object.fromEntries(cacheNames.map((n) => [n, result[n.replace('past_key_values.', 'present.')] as ort.Tensor]));
      if (onDevice) freeOnDevice(Object.values(previous));
      return next;
    },
    releaseOnDevice(...held) {
      if (onDevice) for (const values of held) freeOnDevice(Object.values(values));
    },
    async release() {
      await Promise.all([embed.release(), vision.release(), decoder.release()]);
    },
  };
}

/** Writes image features into the rows of the image tokens, in order (both architectures splice alike). */
export function spliceImageFeatures(embeds: ort.Tensor, ids: readonly (number | bigint)[], imageTokenId: number, features: Float32Array): void {
  const data = embeds.data as Float32Array;
  const hidden = embeds.dims[2];
  let row = 0;
  ids.forEach((id, i) => {
    if (Number(id) === imageTokenId) data.set(features.subarray(row * hidden, ++row * hidden), i * hidden);
  });
  if (row * hidden !== features.length) throw new Error(`${features.length / hidden} image features for ${row} image tokens`);
}
