/**
 * Generation throughput of the platform's ONNX path (adapter → runner child over IPC → transformers.js
 * → onnxruntime-node) against a bare onnxruntime-node greedy loop on the same model, same prompt,
 * same number of new tokens. Prints tokens/s and the ratio platform time / bare time (goal ≤ 1.1).
 * Also checks that both produce the same greedy tokens.
 *
 *   npx tsx perf/onnx-throughput.ts [--model fixture|wide|qwen2_vl|qwen2_5_vl|w7b:LAYERS|DIR] [--device cpu|cuda|webgpu] [--runs 7] [--new-tokens 64] [--batch N]
 *                                   [--prompt image|short]
 *
 * --batch N (N > 1) also times the platform generating N prompts (same image, question texts 0–3 tokens
 * longer) in one batched call (decision 213), interleaved with the rest, and prints its tokens/s (all rows'
 * tokens over the call's wall time) and the ratio to batch 1's tokens/s; row 0 must equal the batch-1 answer.
 *
 * 'fixture' is tests/fixtures/tiny-vlm (≈160 KB, per-token overhead dominates); 'wide' is the same
 * architecture generated at hidden 512 × 8 layers (≈100 MB), closer to where real models spend time.
 * 'qwen2_vl' / 'qwen2_5_vl' are the tiny Qwen fixtures (M-RoPE, image grids), against the bare Qwen loop.
 */
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { AutoProcessor, RawImage, env, type Processor } from '@huggingface/transformers';
import { createOnnxAdapter } from '../evaluator/onnx/onnx-adapter';
import { promptToChatMessages } from '../evaluator/onnx/chat-messages';
import { buildModelInputs } from '../evaluator/onnx/model-inputs';
import { writeTinyVlm } from '../evaluator/onnx/fixture/make-tiny-vlm';
import { MANIFEST_FILE_NAME, onnxManifestSchema } from '../evaluator/onnx/manifest';
import { solidPng } from '../tests/support/test-png';
import { loadBareLlava, type BareDevice } from './bare-onnx-greedy';
import { loadBareQwen } from './bare-onnx-qwen';
import type { SupportedArchitecture } from '../evaluator/onnx/architectures';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * A decoder at the width of Qwen2.5-VL-7B's language model (hidden 3584, MLP 18944, 28 heads of 128) with
 * `w7b:L` layers, fp32, weights in external data: ~0.75 GB a layer. perf/gpu-check.sh measures 2 and 6
 * layers and projects 28 (perf/project-hidden-run.ts). Full KV heads and an ungated MLP: heavier per layer
 * than the real model's 4 KV heads, lighter than its gated MLP.
 */
const SEVEN_B_WIDTH = { hidden: 3584, intermediate: 18944, heads: 28 };

const QWEN_FIXTURES: Record<string, string> = { qwen2_vl: 'tests/fixtures/tiny-qwen2-vl', qwen2_5_vl: 'tests/fixtures/tiny-qwen2_5-vl' };

type BareGenerate = (ids: number[], pixels: ort.Tensor | null, grids: number[][], newTokens: number) => Promise<number[]>;

/** The bare reference loop for the bundle's architecture (no EOS: both paths generate exactly newTokens). */
async function loadBare(modelDir: string, device: BareDevice, architecture: SupportedArchitecture, config: Record<string, any>): Promise<{ generate: BareGenerate; release(): Promise<void> }> {
  if (architecture === 'llava') {
    const bare = await loadBareLlava(modelDir, device, config.image_token_index, -1);
    return { generate: (ids, pixels, _grids, n) => bare.generate(ids.map(BigInt), pixels, n), release: () => bare.release() };
  }
  const bare = await loadBareQwen(modelDir, device, { imageTokenId: config.image_token_id, eosTokenIds: [], spatialMergeSize: config.vision_config.spatial_merge_size });
  return { generate: (ids, pixels, grids, n) => bare.generate(ids, pixels, grids, n), release: () => bare.release() };
}

async function prepareModel(which: string, newTokens: number, tmp: string): Promise<string> {
  const dir = path.join(tmp, 'model');
  if (which === 'fixture') await cp(path.resolve('tests/fixtures/tiny-vlm'), dir, { recursive: true });
  else if (which in QWEN_FIXTURES) await cp(path.resolve(QWEN_FIXTURES[which]), dir, { recursive: true });
  else if (which === 'wide') await writeTinyVlm(dir, { hidden: 512, layers: 8, heads: 8, intermediate: 2048 });
  else if (/^w7b:\d+$/.test(which)) await writeTinyVlm(dir, { ...SEVEN_B_WIDTH, layers: Number(which.slice(4)) }, { externalDataChunks: 1 });
  else await cp(path.resolve(which), dir, { recursive: true });
  const manifestPath = path.join(dir, MANIFEST_FILE_NAME);
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
  manifest.maxNewTokens = newTokens;
  await writeFile(manifestPath, JSON.stringify(manifest));
  // No EOS during the measurement: both paths generate exactly newTokens tokens.
  const genPath = path.join(dir, 'generation_config.json');
  const gen = JSON.parse(await readFile(genPath, 'utf8'));
  await writeFile(genPath, JSON.stringify({ ...gen, eos_token_id: -1 }));
  return dir;
}

async function main(): Promise<void> {
  const which = arg('model', 'fixture');
  const device = arg('device', 'cpu') as BareDevice;
  if (!['cpu', 'cuda', 'webgpu'].includes(device)) throw new Error(`--device must be cpu, cuda or webgpu, got ${device}`);
  const runs = Number(arg('runs', '7'));
  const newTokens = Number(arg('new-tokens', '64'));
  const batch = Number(arg('batch', '1'));
  if (!Number.isInteger(batch) || batch < 1) throw new Error(`--batch needs a positive integer, got ${arg('batch', '1')}`);
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'onnx-perf-'));
  try {
    const modelDir = await prepareModel(which, newTokens, tmp);
    const config = JSON.parse(await readFile(path.join(modelDir, 'config.json'), 'utf8'));
    // --prompt short: a text-only question of a few tokens (prefill and KV cache small; see decision 213).
    const short = arg('prompt', 'image') === 'short';
    const prompt = {
      system: short ? '' : 'You are a spine specialist answering a multiple-choice question.',
      text: short ? 'L5?' : 'Lateral lumbar radiograph. Which level shows the spondylolisthesis? A. L3-L4 B. L4-L5 C. L5-S1 D. T12-L1',
      images: short ? [] : [{ data: solidPng(64, 128, [180, 180, 180]), mimeType: 'image/png' as const }],
    };

    // Rows 0–3 tokens longer than the batch-1 prompt (the fixture tokenizer is byte-level), so that the
    // batch pads a little, as real items do, without measuring longer prompts than batch 1 gets.
    const suffixes = ['', '?', ' ?', ' A?'];
    const batchPrompts = Array.from({ length: batch }, (_, i) => ({ ...prompt, text: prompt.text + suffixes[i % suffixes.length] + ' '.repeat(Math.floor(i / suffixes.length)) }));

    // Same token ids and pixel values for the bare loop, prepared once, outside the timing.
    env.allowRemoteModels = false;
    env.localModelPath = path.dirname(modelDir);
    const processor: Processor = await AutoProcessor.from_pretrained(path.basename(modelDir), { local_files_only: true });
    const text = processor.apply_chat_template(promptToChatMessages(prompt) as never, { add_generation_prompt: true, tokenize: false }) as string;
    const images = await Promise.all(prompt.images.map((img) => RawImage.fromBlob(new Blob([new Uint8Array(img.data)]))));
    const { architecture } = onnxManifestSchema.parse(JSON.parse(await readFile(path.join(modelDir, MANIFEST_FILE_NAME), 'utf8')));
    const inputs = (await buildModelInputs(architecture, processor, text, images)) as unknown as {
      input_ids: { data: BigInt64Array };
      pixel_values?: { data: Float32Array; dims: number[] };
      image_grid_thw?: { tolist(): bigint[][] };
    };
    const ids = Array.from(inputs.input_ids.data, Number);
    const pixels = inputs.pixel_values ? new ort.Tensor('float32', inputs.pixel_values.data, inputs.pixel_values.dims) : null;
    const grids = inputs.image_grid_thw?.tolist().map((g) => g.map(Number)) ?? [];

    const bare = await loadBare(modelDir, device, architecture, config);
    // Room for the generated 7B-wide decoders; the runner's own memory plan still refuses what cannot fit.
    const memoryLimitMb = Math.max(4096, Math.floor((0.75 * os.totalmem()) / 2 ** 20));
    const adapter = await createOnnxAdapter({ modelDir, timeoutMs: 300_000, memoryLimitMb, device });
    const platformMs: number[] = [];
    const childMs: number[] = [];
    const preprocessMs: number[] = [];
    const bareMs: number[] = [];
    const batchMs: number[] = [];
    let batchTokens = 0;
    let batchRow0 = '';
    let platformText = '';
    let bareIds: number[] = [];
    let tokens = 0;
    for (let i = 0; i < runs + 2; i++) {
      // Interleaved, so that drift on a shared machine hits both paths alike; two warm-up rounds.
      let t = performance.now();
      const result = await adapter.generateWithStats(prompt);
      const p = performance.now() - t;
      t = performance.now();
      bareIds = await bare.generate(ids, pixels, grids, result.newTokens);
      const b = performance.now() - t;
      platformText = result.text;
      tokens = result.newTokens;
      let bt = 0;
      if (batch > 1) {
        t = performance.now();
        const rows = await adapter.generateBatch(batchPrompts);
        bt = performance.now() - t;
        const values = rows.map((r) => {
          if (r.status === 'rejected') throw r.reason;
          return r.value;
        });
        batchTokens = values.reduce((sum, v) => sum + v.newTokens, 0);
        batchRow0 = values[0].text;
      }
      if (i >= 2) {
        platformMs.push(p);
        childMs.push(result.generateMs);
        preprocessMs.push(result.preprocessMs);
        bareMs.push(b);
        if (batch > 1) batchMs.push(bt);
      }
    }
    const bareText = processor.batch_decode([bareIds] as never, { skip_special_tokens: true })[0];
    const runtime = adapter.runtimeInfo();
    await adapter.close();
    await bare.release();

    const tps = (ms: number) => ((tokens / ms) * 1000).toFixed(1);
    const [pm, cm, bm, prem] = [median(platformMs), median(childMs), median(bareMs), median(preprocessMs)];
    // Per-item costs the bare loop does not have (it gets token ids and pixel values prepared once):
    // IPC + parent bookkeeping (platform − child) and preprocessing (template, image decode, processor).
    const genOnly = childMs.map((c, i) => c - preprocessMs[i]);
    console.log(`model ${which} (${modelDir.replace(tmp, '<tmp>')}), device ${runtime.device}, onnxruntime-node ${runtime.onnxruntimeVersion}, transformers.js ${runtime.transformersVersion}`);
    console.log(`prompt ${ids.length} tokens (incl. image tokens), ${tokens} new tokens, ${runs} timed runs (median)`);
    console.log(`platform (adapter → child → transformers.js): ${pm.toFixed(1)} ms  ${tps(pm)} tok/s   (inside child: ${cm.toFixed(1)} ms)`);
    console.log(`  of which: IPC+parent ${(pm - cm).toFixed(1)} ms, preprocessing ${prem.toFixed(1)} ms, generation ${median(genOnly).toFixed(1)} ms`);
    console.log(`bare onnxruntime-node greedy loop:            ${bm.toFixed(1)} ms  ${tps(bm)} tok/s`);
    const best = (xs: number[]) => Math.min(...xs);
    console.log(`ratio platform/bare: ${(pm / bm).toFixed(3)} (goal ≤ 1.1)   child-only/bare: ${(cm / bm).toFixed(3)}   generation-only/bare: ${(median(genOnly) / bm).toFixed(3)}`);
    console.log(`ratio of best runs (less sensitive to a busy machine): ${(best(platformMs) / best(bareMs)).toFixed(3)}`);
    if (batch > 1) {
      const single = (tokens / pm) * 1000;
      const batched = (batchTokens / median(batchMs)) * 1000;
      console.log(`platform batch ${batch}: ${median(batchMs).toFixed(1)} ms for ${batchTokens} tokens  ${batched.toFixed(1)} tok/s   ratio to batch 1: ${(batched / single).toFixed(2)}×`);
      console.log(`batch row 0 = batch-1 answer: ${batchRow0 === platformText ? 'yes' : 'NO'}`);
    }
    // Compared across devices and batch sizes by perf/gpu-check.sh.
    console.log(`output digest ${createHash('sha256').update(platformText).digest('hex').slice(0, 16)}`);
    console.log(`same greedy output: ${platformText === bareText ? 'yes' : `NO\n  platform: ${JSON.stringify(platformText)}\n  bare:     ${JSON.stringify(bareText)}`}`);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

await main();
