/**
 * Batched greedy generation (decision 213): every row of a batch gets the tokens its prompt gets alone,
 * on the tiny llava fixture, a wider generated one and the tiny Qwen2-VL and Qwen2.5-VL fixtures, for
 * prompts of different lengths with and without images; a row that reaches EOS stops there while the others go on.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AutoModelForImageTextToText, AutoProcessor, RawImage, Tensor, env, type PreTrainedModel, type Processor } from '@huggingface/transformers';
import { greedyGenerate, greedyGenerateBatch } from '../../evaluator/onnx/greedy-generate';
import { collateInputs } from '../../evaluator/onnx/batch-inputs';
import { buildModelInputs, type Inputs } from '../../evaluator/onnx/model-inputs';
import { promptToChatMessages } from '../../evaluator/onnx/chat-messages';
import { fixQwenTextRopeDeltas } from '../../evaluator/onnx/qwen-rope-fix';
import { writeTinyVlm } from '../../evaluator/onnx/fixture/make-tiny-vlm';
import { solidPng } from '../support/test-png';

const red = solidPng(40, 30, [200, 10, 30]);
const green = solidPng(20, 50, [10, 200, 30]);
const blue = solidPng(32, 32, [20, 40, 220]);

/** Prompts of different lengths: two images, one image, text only (short and long). */
const PROMPTS = [
  { text: 'Which level is narrowed? A. L4-L5 B. L5-S1', pngs: [red, green] },
  { text: 'Fracture?', pngs: [blue] },
  { text: 'Name the vertebra below L5. Answer with one word only, please, and nothing else at all.', pngs: [] },
  { text: 'Cobb angle over 10 degrees? Yes or no.', pngs: [green] },
];

type Loaded = { processor: Processor; model: PreTrainedModel };

async function load(dir: string): Promise<Loaded> {
  env.allowRemoteModels = false;
  env.localModelPath = path.dirname(dir);
  const id = path.basename(dir);
  const processor = await AutoProcessor.from_pretrained(id, { local_files_only: true });
  const model = await AutoModelForImageTextToText.from_pretrained(id, { local_files_only: true, device: 'cpu', dtype: 'fp32' });
  return { processor, model };
}

async function setGeneration(dir: string, generation: Record<string, unknown>): Promise<void> {
  const genPath = path.join(dir, 'generation_config.json');
  await writeFile(genPath, JSON.stringify({ ...JSON.parse(await readFile(genPath, 'utf8')), ...generation }));
}

async function inputsFor(processor: Processor, prompt: (typeof PROMPTS)[number], architecture: 'llava' | 'qwen2_vl' | 'qwen2_5_vl' = 'llava'): Promise<Inputs> {
  const images = await Promise.all(prompt.pngs.map((png) => RawImage.fromBlob(new Blob([new Uint8Array(png)], { type: 'image/png' }))));
  const modelPrompt = { system: 'You are a spine specialist.', text: prompt.text, images: prompt.pngs.map((data) => ({ data, mimeType: 'image/png' as const })) };
  const text = processor.apply_chat_template(promptToChatMessages(modelPrompt) as never, { add_generation_prompt: true, tokenize: false }) as string;
  return buildModelInputs(architecture, processor, text, images);
}

describe('collateInputs', () => {
  const item = (ids: number[], pixels?: number) =>
    ({
      input_ids: new Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, ids.length]),
      attention_mask: new Tensor('int64', new BigInt64Array(ids.length).fill(1n), [1, ids.length]),
      ...(pixels === undefined ? {} : { pixel_values: new Tensor('float32', new Float32Array(pixels * 2).fill(pixels), [pixels, 2]) }),
    }) as unknown as Inputs;

  it('left-pads ids with the pad token, masks the pads and concatenates image inputs in prompt order', () => {
    const { inputs, padLengths } = collateInputs([item([5, 6], 1), item([7, 8, 9, 10]), item([11, 12, 13], 2)], 99);
    expect(padLengths).toEqual([2, 0, 1]);
    expect(inputs.input_ids.dims).toEqual([3, 4]);
    expect(Array.from(inputs.input_ids.data as BigInt64Array).map(Number)).toEqual([99, 99, 5, 6, 7, 8, 9, 10, 99, 11, 12, 13]);
    const mask = inputs.attention_mask as Tensor;
    expect(Array.from(mask.data as BigInt64Array).map(Number)).toEqual([0, 0, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1]);
    const pixels = inputs.pixel_values as Tensor;
    expect(pixels.dims).toEqual([3, 2]);
    expect(Array.from(pixels.data as Float32Array)).toEqual([1, 1, 2, 2, 2, 2]);
  });

  it('refuses an item that already holds several prompts', () => {
    const two = { input_ids: new Tensor('int64', new BigInt64Array(4), [2, 2]) } as unknown as Inputs;
    expect(() => collateInputs([two], 0)).toThrow(/item 0.*batch 2/);
  });
});

describe('greedyGenerateBatch equals one prompt at a time', () => {
  let tmp: string;
  const models: Record<string, Loaded> = {};
  const FIXTURES = [
    ['tiny', 'llava'],
    ['wide', 'llava'],
    ['tiny-qwen2-vl', 'qwen2_vl'],
    ['tiny-qwen2_5-vl', 'qwen2_5_vl'],
  ] as const;

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'greedy-batch-'));
    const tiny = path.join(tmp, 'tiny');
    await cp(path.resolve('tests/fixtures/tiny-vlm'), tiny, { recursive: true });
    await setGeneration(tiny, { eos_token_id: -1 });
    const wide = path.join(tmp, 'wide');
    await writeTinyVlm(wide, { hidden: 128, layers: 3, heads: 4, intermediate: 256 });
    await setGeneration(wide, { eos_token_id: -1 });
    models.tiny = await load(tiny);
    models.wide = await load(wide);
    for (const fixture of ['tiny-qwen2-vl', 'tiny-qwen2_5-vl']) {
      const dir = path.join(tmp, fixture);
      await cp(path.resolve('tests/fixtures', fixture), dir, { recursive: true });
      await setGeneration(dir, { eos_token_id: -1 });
      models[fixture] = await load(dir);
      fixQwenTextRopeDeltas(models[fixture].model);
    }
  }, 60_000);
  afterAll(async () => {
    for (const m of Object.values(models)) await m.model.dispose();
    await rm(tmp, { recursive: true, force: true });
  });

  for (const [fixture, architecture] of FIXTURES) {
    it(`${fixture} (${architecture}): B = 2, 3, 4 with prompts of different lengths, images and text only`, async () => {
      const { processor, model } = models[fixture];
      const inputs = await Promise.all(PROMPTS.map((p) => inputsFor(processor, p, architecture)));
      expect(new Set(inputs.map((i) => i.input_ids.dims[1])).size).toBe(PROMPTS.length); // really different lengths
      const alone = await Promise.all(inputs.map((i) => greedyGenerate(model, i, 20)));
      for (const order of [[0, 1], [2, 0, 3], [1, 3, 2, 0]]) {
        const batch = await greedyGenerateBatch(model, order.map((i) => inputs[i]), 20);
        expect(batch, `order ${order}`).toEqual(order.map((i) => alone[i]));
        for (const ids of batch) expect(ids).toHaveLength(20);
      }
      // The rows do differ, so an equality above cannot come from every row decoding the same thing.
      expect(new Set(alone.map((ids) => ids.join(','))).size).toBeGreaterThan(1);
    });
  }

  it('stops a row at its EOS while the other rows go on (EOS kept in that row only)', async () => {
    const { processor } = models.tiny;
    const inputs = await Promise.all(PROMPTS.map((p) => inputsFor(processor, p)));
    const free = await greedyGenerateBatch(models.tiny.model, inputs, 20);
    // A token row 1 reaches early that some other row does not reach before its end: declared EOS.
    const eos = free[1].slice(1, 6).find((t) => free.some((ids, r) => r !== 1 && !ids.includes(t)));
    expect(eos, 'fixture output gives no usable EOS candidate').toBeDefined();
    const dir = path.join(tmp, 'eos');
    await cp(path.join(tmp, 'tiny'), dir, { recursive: true });
    await setGeneration(dir, { eos_token_id: Number(eos) });
    const withEos = await load(dir);
    try {
      const batch = await greedyGenerateBatch(withEos.model, inputs, 20);
      const alone = await Promise.all(inputs.map((i) => greedyGenerate(withEos.model, i, 20)));
      expect(batch).toEqual(alone);
      const cut = (ids: bigint[]) => (ids.includes(eos!) ? ids.slice(0, ids.indexOf(eos!) + 1) : ids);
      expect(batch).toEqual(free.map(cut));
      expect(batch[1].length).toBeLessThan(7);
      expect(batch.some((ids) => ids.length === 20 && !ids.includes(eos!))).toBe(true);
    } finally {
      await withEos.model.dispose();
    }
  });
});
