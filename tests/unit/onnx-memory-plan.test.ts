import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryRefusal, planMemory, textDimsFromConfig, weightFileBytes, type TextDims } from '../../evaluator/onnx/memory-plan';
import { checkBundleMemory, planBundleMemory } from '../../evaluator/onnx/bundle-memory';
import { EvaluationError } from '../../evaluator/errors';
import { parseNvidiaSmiMemory } from '../../evaluator/onnx/gpu-memory';

const MiB = 2 ** 20;
const GiB = 2 ** 30;

// Qwen2.5-VL-7B's text model (config.json of the Hugging Face checkpoint, top-level fields).
const qwen7bConfig = {
  model_type: 'qwen2_5_vl',
  num_hidden_layers: 28,
  num_attention_heads: 28,
  num_key_value_heads: 4,
  hidden_size: 3584,
  intermediate_size: 18944,
  vocab_size: 152064,
};

describe('memory plan', () => {
  it('reads the text model shape from qwen (top level) and llava (text_config) configs', () => {
    expect(textDimsFromConfig(qwen7bConfig)).toEqual({
      layers: 28, attentionHeads: 28, kvHeads: 4, headDim: 128, hiddenSize: 3584, intermediateSize: 18944, vocabSize: 152064,
    });
    const llava = { model_type: 'llava', text_config: { num_hidden_layers: 2, num_attention_heads: 4, head_dim: 8, hidden_size: 32, intermediate_size: 64, vocab_size: 263 } };
    expect(textDimsFromConfig(llava)).toMatchObject({ layers: 2, kvHeads: 4, headDim: 8 });
    expect(textDimsFromConfig({ ...qwen7bConfig, vocab_size: undefined })).toEqual({ missing: 'vocabSize' });
  });

  it('plans a 7B-like Qwen2.5-VL in fp16: numbers computed by hand', () => {
    const dims = textDimsFromConfig(qwen7bConfig) as TextDims;
    const plan = planMemory({ weightsBytes: 15 * GiB, largestGraphBytes: 400 * MiB, dtype: 'fp16', dims, promptTokens: 2048, maxNewTokens: 1024 });
    // 2 (k, v) × 28 layers × 4 heads × 128 × (2048 + 1024) tokens × 1 × 2 bytes
    expect(plan.kvCacheBytes).toBe(176_160_768);
    // logits 2048 × 152064 × 4 = 1 245 708 288; layer 2048 × (4·3584 + 2·18944) × 4 = 427 819 008;
    // scores 28 × 2048² × 4 = 469 762 048
    expect(plan.activationBytes).toBe(2_143_289_344);
    // 256 MiB base + 128 MiB working memory + 10% of (15 GiB + 2 × KV)
    expect(plan.overheadBytes).toBe(268_435_456 + 134_217_728 + 1_645_844_890);
    // 15 GiB + 2 × KV + activations + overhead
    expect(plan.totalBytes).toBe(20_650_236_314);
    expect(plan.gpu).toEqual({ deviceBytes: 20_247_583_130, hostBytes: 268_435_456 + 134_217_728 + 2 * 176_160_768 + 1_245_708_288 + 400 * MiB });
    // Batch 4 quadruples the cache.
    expect(planMemory({ weightsBytes: 15 * GiB, largestGraphBytes: 0, dtype: 'fp16', dims, promptTokens: 2048, maxNewTokens: 1024, batchSize: 4 }).kvCacheBytes).toBe(4 * 176_160_768);
    // fp32 and the 4-bit formats without f16 cache in float32: twice the bytes.
    expect(planMemory({ weightsBytes: 0, largestGraphBytes: 0, dtype: 'q4', dims, promptTokens: 2048, maxNewTokens: 1024 }).kvCacheBytes).toBe(2 * 176_160_768);
  });

  it('counts the weights of the manifest dtype only, chunked external data included', () => {
    const files = [
      { path: 'onnx/decoder_model_merged_fp16.onnx', bytes: 1000 },
      { path: 'onnx/decoder_model_merged_fp16.onnx_data', bytes: 2000 },
      { path: 'onnx/decoder_model_merged_fp16.onnx_data_1', bytes: 3000 },
      { path: 'onnx/embed_tokens_fp16.onnx', bytes: 4000 },
      { path: 'onnx/vision_encoder_fp16.onnx', bytes: 500 },
      { path: 'onnx/decoder_model_merged.onnx', bytes: 1_000_000 }, // the fp32 graph: another dtype
      { path: 'onnx/decoder_model_merged.onnx_data', bytes: 1_000_000 },
      { path: 'onnx/weights.bin', bytes: 7 }, // unknown purpose: counted
      { path: 'tokenizer.json', bytes: 99 },
    ];
    expect(weightFileBytes(files, 'fp16')).toEqual({ weightsBytes: 10_507, largestGraphBytes: 4000 });
  });

  it('plans the tiny fixture from its folder', async () => {
    const planned = await planBundleMemory(path.resolve('tests/fixtures/tiny-vlm'));
    expect(planned.plan).toMatchObject({ promptTokens: 2048, maxNewTokens: 24, batchSize: 1 });
    const plan = planned.plan!;
    expect(plan.weightsBytes).toBe(109_192 + 33_945 + 19_239);
    // 2 × 2 layers × 4 heads × head_dim 8 × (2048 + 24) × 4 bytes (fp32)
    expect(plan.kvCacheBytes).toBe(1_060_864);
    // Above the 214 MB measured, under the 400 MiB limit of the memory-hazard test (tests/integration/onnx-adapter.test.ts).
    expect(plan.totalBytes).toBe(342_470_858);
    expect((await planBundleMemory('/nonexistent-bundle')).plan).toBeNull();
  });

  it('refuses with the need and the limit in GiB and what to do; GPU memory checked when known', () => {
    const dims = textDimsFromConfig(qwen7bConfig) as TextDims;
    const plan = planMemory({ weightsBytes: 15 * GiB, largestGraphBytes: 400 * MiB, dtype: 'fp16', dims, promptTokens: 2048, maxNewTokens: 1024 });
    const cpu = memoryRefusal(plan, { hostLimitBytes: 16 * GiB, device: 'cpu' })?.message;
    expect(cpu).toMatch(/needs about 19\.23 GiB of memory on CPU \(weights 15\.00 GiB, KV cache 0\.16 GiB for 2048 prompt \+ 1024 new tokens/);
    expect(cpu).toMatch(/memory limit is 16\.00 GiB.*smaller dtype.*ONNX_MEMORY_LIMIT_MB/);
    expect(memoryRefusal(plan, { hostLimitBytes: 24 * GiB, device: 'cpu' })).toBeNull();
    // On a GPU the host holds far less; the 16 GiB H100-sized slice of free memory is too small.
    expect(memoryRefusal(plan, { hostLimitBytes: 16 * GiB, device: 'gpu', gpuFreeBytes: null })).toBeNull();
    expect(memoryRefusal(plan, { hostLimitBytes: 16 * GiB, device: 'gpu', gpuFreeBytes: 16 * GiB, gpuTotalBytes: 16 * GiB })).toEqual({
      gpuBusy: false,
      message: expect.stringMatching(/18\.86 GiB of GPU memory .* the GPU has 16\.00 GiB free.*bigger GPU/),
    });
    // An 80 GB GPU that other processes fill: the platform's matter, not the model's.
    expect(memoryRefusal(plan, { hostLimitBytes: 16 * GiB, device: 'gpu', gpuFreeBytes: 10 * GiB, gpuTotalBytes: 80 * GiB })).toEqual({
      gpuBusy: true,
      message: expect.stringMatching(/the GPU has 80\.00 GiB but only 10\.00 GiB free \(other processes use the rest\)/),
    });
    expect(memoryRefusal(plan, { hostLimitBytes: 16 * GiB, device: 'gpu', gpuFreeBytes: 78 * GiB })).toBeNull();
    expect(memoryRefusal(plan, { hostLimitBytes: 1 * GiB, device: 'gpu', gpuFreeBytes: 78 * GiB })?.message).toMatch(/of memory on the host/);
  });

  it('checks the tiny fixture against GPU memory when it is known, and says when it is not', async () => {
    const dir = path.resolve('tests/fixtures/tiny-vlm');
    const gpu = (totalMiB: number, usedMiB: number) => async () => parseNvidiaSmiMemory(`${totalMiB}, ${usedMiB}`);
    // The tiny plan puts about 70 MiB on the device.
    const busy = await checkBundleMemory(dir, 'cuda', 1024, { gpuMemory: gpu(100, 90) }).catch((e: unknown) => e);
    expect(busy).toBeInstanceOf(EvaluationError);
    expect(busy).toMatchObject({ code: 'resource_limit', options: { platformFault: true, transient: true } });
    const small = await checkBundleMemory(dir, 'cuda', 1024, { gpuMemory: gpu(50, 0) }).catch((e: unknown) => e);
    expect(small).toMatchObject({ code: 'resource_limit', options: {} });
    expect((small as Error).message).toMatch(/GPU memory .* the GPU has 50\.0 MiB free/);
    expect((await checkBundleMemory(dir, 'cuda', 1024, { gpuMemory: gpu(81559, 0) })).note).toMatch(/^GPU \(79\.65 GiB free of 79\.65 GiB\) and host memory checked/);
    expect((await checkBundleMemory(dir, 'cuda', 1024, { gpuMemory: async () => null })).note).toMatch(/GPU memory unknown \(nvidia-smi unavailable\): host memory checked only/);
    // 'auto' without a visible GPU plans for CPU.
    expect((await checkBundleMemory(dir, 'auto', 1024, { gpuMemory: async () => null })).note).toMatch(/host memory checked \(CPU/);
  });

  it('parses nvidia-smi memory output (MiB, first GPU)', () => {
    expect(parseNvidiaSmiMemory('81559, 1234\n81559, 0\n')).toEqual({ totalBytes: 81559 * MiB, usedBytes: 1234 * MiB, freeBytes: (81559 - 1234) * MiB });
    expect(parseNvidiaSmiMemory('NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver.')).toBeNull();
  });
});
