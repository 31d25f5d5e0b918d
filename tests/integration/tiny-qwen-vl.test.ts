import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { AutoProcessor, RawImage, env, type Processor } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TINY_QWEN_DIMS, TINY_QWEN_FIXTURES, writeTinyQwenVl } from '../../evaluator/onnx/fixture/make-tiny-qwen-vl';
import type { QwenArchitecture } from '../../evaluator/onnx/fixture/tiny-qwen-vl-files';
import { createOnnxAdapter, type OnnxAdapter } from '../../evaluator/onnx/onnx-adapter';
import { promptToChatMessages } from '../../evaluator/onnx/chat-messages';
import { buildModelInputs } from '../../evaluator/onnx/model-inputs';
import { validateBundle } from '../../evaluator/onnx/validate-bundle';
import { loadBareQwen, mropePositions, type BareQwen } from '../../perf/bare-onnx-qwen';
import type { ModelPrompt } from '../../evaluator/adapters/types';
import { folderEntries } from '../support/archives';
import { solidPng } from '../support/test-png';

// 80×50 becomes 84×56 pixels: a 4×6 patch grid, 2×3 merged tokens (h ≠ w, so swapped rows would show).
const wide = { data: solidPng(80, 50, [200, 10, 30]), mimeType: 'image/png' as const };
const small = { data: solidPng(30, 30, [10, 200, 30]), mimeType: 'image/png' as const };
const PROMPTS: Record<string, ModelPrompt> = {
  'text+image': { system: 'You are a spine specialist.', text: 'Which level is narrowed? A. L4-L5 B. L5-S1', images: [wide] },
  'text+two images': { system: '', text: 'Compare the two views.', images: [wide, small] },
  'text only': { system: '', text: '腰4/5 请只回答一个选项字母。', images: [] },
};

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe('mropePositions (the bare loop’s own M-RoPE)', () => {
  it('gives text one position on all rows, an image its merged grid, and text after it max + 1', () => {
    // 2 text, one image with grid t1 h4 w6 (merged 2×3 = 6 tokens), 1 text.
    const ids = [1, 2, 9, 9, 9, 9, 9, 9, 3];
    const { rows, delta } = mropePositions(ids, [[1, 4, 6]], 9, 2);
    expect(rows[0]).toEqual([0, 1, 2, 2, 2, 2, 2, 2, 5]);
    expect(rows[1]).toEqual([0, 1, 2, 2, 2, 3, 3, 3, 5]);
    expect(rows[2]).toEqual([0, 1, 2, 3, 4, 2, 3, 4, 5]);
    expect(delta).toBe(6 - 9);
    expect(mropePositions([1, 2, 3], [], 9, 2)).toEqual({ rows: [[0, 1, 2], [0, 1, 2], [0, 1, 2]], delta: 0 });
  });
});

describe.each(Object.entries(TINY_QWEN_FIXTURES) as [QwenArchitecture, string][])('tiny %s fixture', (arch, fixtureDir) => {
  const FIXTURE = path.resolve(fixtureDir);
  let adapter: OnnxAdapter;
  let bare: BareQwen;
  let processor: Processor;
  beforeAll(async () => {
    const config = JSON.parse(await readFile(path.join(FIXTURE, 'config.json'), 'utf8'));
    const generation = JSON.parse(await readFile(path.join(FIXTURE, 'generation_config.json'), 'utf8'));
    env.allowRemoteModels = false;
    env.localModelPath = path.dirname(FIXTURE);
    processor = await AutoProcessor.from_pretrained(path.basename(FIXTURE), { local_files_only: true });
    bare = await loadBareQwen(FIXTURE, 'cpu', { imageTokenId: config.image_token_id, eosTokenIds: generation.eos_token_id, spatialMergeSize: config.vision_config.spatial_merge_size });
    adapter = await createOnnxAdapter({ modelDir: FIXTURE, timeoutMs: 30_000, memoryLimitMb: 1024, device: 'cpu' });
  });
  afterAll(async () => {
    await adapter?.close();
    await bare?.release();
  });

  it('is exactly what `npm run fixture:tiny-qwen-vl` writes, and small', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tiny-qwen-'));
    dirs.push(dir);
    await writeTinyQwenVl(arch, path.join(dir, 'fixture'));
    const fresh = await folderEntries(path.join(dir, 'fixture'));
    const committed = await folderEntries(FIXTURE);
    expect(fresh.map((f) => f.path).sort()).toEqual(committed.map((f) => f.path).sort());
    for (const file of fresh) expect(Buffer.compare(file.data, await readFile(path.join(FIXTURE, file.path))), file.path).toBe(0);
    expect(committed.reduce((sum, f) => sum + f.data.length, 0)).toBeLessThan(1024 * 1024);
  });

  it('passes the platform’s bundle validation as its architecture', async () => {
    const report = await validateBundle(FIXTURE, { memoryLimitBytes: 64 * 1024 * 1024 });
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.manifest?.architecture).toBe(arch);
  });

  it.each(Object.keys(PROMPTS))('the runner generates what the bare onnxruntime loop does, token for token (%s)', async (name) => {
    const prompt = PROMPTS[name];
    const text = processor.apply_chat_template(promptToChatMessages(prompt) as never, { add_generation_prompt: true, tokenize: false }) as string;
    const images = await Promise.all(prompt.images.map((img) => RawImage.fromBlob(new Blob([new Uint8Array(img.data)]))));
    const inputs = (await buildModelInputs(arch, processor, text, images)) as unknown as {
      input_ids: { data: BigInt64Array };
      pixel_values?: { data: Float32Array; dims: number[] };
      image_grid_thw?: { tolist(): bigint[][] };
    };
    const ids = Array.from(inputs.input_ids.data, Number);
    const pixels = inputs.pixel_values ? new ort.Tensor('float32', inputs.pixel_values.data, inputs.pixel_values.dims) : null;
    const grids = inputs.image_grid_thw?.tolist().map((g) => g.map(Number)) ?? [];
    if (prompt.images.length > 0) expect(grids[0]).toEqual([1, 4, 6]);

    const expected = await bare.generate(ids, pixels, grids, 24);
    const [expectedText] = processor.batch_decode([expected] as never, { skip_special_tokens: true });
    const got = await adapter.generateWithStats(prompt);
    expect(expected.length).toBeGreaterThan(0);
    expect(got.newTokens).toBe(expected.length);
    expect(got.text).toBe(expectedText);
  });

  it('the runner answers a batch of the three prompts with what each gets alone (padded rows, mixed images)', async () => {
    const prompts = Object.values(PROMPTS);
    const alone = [];
    for (const prompt of prompts) alone.push(await adapter.generateWithStats(prompt));
    const batch = await adapter.generateBatch([prompts[2], prompts[0], prompts[1]]);
    const got = batch.map((r) => (r.status === 'fulfilled' ? [r.value.text, r.value.newTokens] : r.reason));
    expect(got).toEqual([alone[2], alone[0], alone[1]].map((r) => [r.text, r.newTokens]));
    expect(new Set(alone.map((r) => r.text)).size).toBe(3);
  });

  it('transformers.js 4.3’s own Qwen2VLProcessor still fails on two images (when this fails, model-inputs’ per-image workaround can go)', async () => {
    const text = processor.apply_chat_template(promptToChatMessages(PROMPTS['text+two images']) as never, { add_generation_prompt: true, tokenize: false }) as string;
    const images = await Promise.all([wide, small].map((img) => RawImage.fromBlob(new Blob([new Uint8Array(img.data)]))));
    await expect((processor as unknown as (t: string, i: RawImage[]) => Promise<unknown>)(text, images)).rejects.toThrow();
  });

  it('the vision encoder reads the image grid: another grid changes the features', async () => {
    const session = await ort.InferenceSession.create(path.join(FIXTURE, 'onnx/vision_encoder.onnx'));
    const gridName = arch === 'qwen2_vl' ? 'grid_thw' : 'image_grid_thw';
    expect([...session.inputNames].sort()).toEqual([gridName, 'pixel_values'].sort());
    const pixels = new ort.Tensor('float32', new Float32Array(8 * 1176).fill(0.2), [8, 1176]);
    const run = async (grid: bigint[]) => (await session.run({ pixel_values: pixels, [gridName]: new ort.Tensor('int64', BigInt64Array.from(grid), [1, 3]) })).image_features;
    const a = await run([1n, 2n, 4n]);
    const b = await run([1n, 4n, 2n]);
    expect(a.dims).toEqual([2, TINY_QWEN_DIMS.hidden]);
    expect(Math.max(...(a.data as Float32Array).map((v, i) => Math.abs(v - (b.data as Float32Array)[i])))).toBeGreaterThan(1e-3);
    await session.release();
  });

  it('the decoder reads all three position rows: t-only positions change the logits', async () => {
    const session = await ort.InferenceSession.create(path.join(FIXTURE, 'onnx/decoder_model_merged.onnx'));
    const { hidden, heads } = TINY_QWEN_DIMS;
    const embeds = new ort.Tensor('float32', new Float32Array(3 * hidden).fill(0.1), [1, 3, hidden]);
    const cache = Object.fromEntries(session.inputNames.filter((n) => n.startsWith('past_key_values.')).map((n) => [n, new ort.Tensor('float32', new Float32Array(0), [1, heads, 0, hidden / heads])]));
    const run = async (rows: number[][]) =>
      (await session.run({ inputs_embeds: embeds, attention_mask: new ort.Tensor('int64', BigInt64Array.of(1n, 1n, 1n), [1, 3]), position_ids: new ort.Tensor('int64', BigInt64Array.from(rows.flat(), BigInt), [3, 1, 3]), ...cache })).logits.data as Float32Array;
    const base = await run([[2, 2, 2], [2, 2, 3], [2, 3, 4]]);
    for (const rows of [[[2, 2, 2], [2, 2, 2], [2, 2, 2]], [[2, 2, 2], [2, 3, 4], [2, 2, 3]], [[3, 3, 3], [2, 2, 3], [2, 3, 4]]]) {
      const other = await run(rows);
      expect(Math.max(...other.map((v, i) => Math.abs(v - base[i])))).toBeGreaterThan(1e-3);
    }
    await session.release();
  });
});
