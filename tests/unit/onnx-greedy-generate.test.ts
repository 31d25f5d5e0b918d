import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AutoModelForImageTextToText, AutoProcessor, RawImage, env, type PreTrainedModel, type Processor } from '@huggingface/transformers';
import { argmax, greedyGenerate } from '../../evaluator/onnx/greedy-generate';
import { buildModelInputs } from '../../evaluator/onnx/model-inputs';
import { promptToChatMessages } from '../../evaluator/onnx/chat-messages';
import { solidPng } from '../support/test-png';

const question = { system: 'You are a spine specialist.', text: 'Which level is narrowed? A. L4-L5 B. L5-S1' };
const red = solidPng(40, 30, [200, 10, 30]);
const green = solidPng(20, 50, [10, 200, 30]);

async function load(dir: string): Promise<{ processor: Processor; model: PreTrainedModel }> {
  env.allowRemoteModels = false;
  env.localModelPath = path.dirname(dir);
  const id = path.basename(dir);
  const processor = await AutoProcessor.from_pretrained(id, { local_files_only: true });
  const model = await AutoModelForImageTextToText.from_pretrained(id, { local_files_only: true, device: 'cpu', dtype: 'fp32' });
  return { processor, model };
}

async function inputsFor(processor: Processor, pngs: Uint8Array[]) {
  const images = await Promise.all(pngs.map((png) => RawImage.fromBlob(new Blob([new Uint8Array(png)], { type: 'image/png' }))));
  const prompt = { ...question, images: pngs.map((data) => ({ data, mimeType: 'image/png' as const })) };
  const text = processor.apply_chat_template(promptToChatMessages(prompt) as never, { add_generation_prompt: true, tokenize: false }) as string;
  return buildModelInputs('llava', processor, text, images);
}

/** What transformers.js's own generate returns after the prompt, greedy. */
async function referenceIds(model: PreTrainedModel, inputs: Awaited<ReturnType<typeof inputsFor>>, maxNewTokens: number): Promise<bigint[]> {
  const out = (await model.generate({ ...inputs, max_new_tokens: maxNewTokens, do_sample: false, num_beams: 1 } as never)) as unknown as {
    data: BigInt64Array;
  };
  return Array.from(out.data).slice(inputs.input_ids.dims[1]);
}

describe('argmax', () => {
  it('returns the first index of the maximum (GreedySampler tie rule)', () => {
    expect(argmax([0.1, 3, -2, 3])).toBe(1);
    expect(argmax([-5])).toBe(0);
    expect(argmax(Float32Array.of(-1, -0.5, -0.75))).toBe(1);
  });
});

describe('greedyGenerate on the tiny VLM fixture', () => {
  let tmp: string;
  let noEos: { processor: Processor; model: PreTrainedModel };
  let penalised: { processor: Processor; model: PreTrainedModel };

  /** A copy of the fixture with generation_config.json fields overridden. */
  const copyFixture = async (name: string, generation: Record<string, unknown>) => {
    const dir = path.join(tmp, name);
    await cp(path.resolve('tests/fixtures/tiny-vlm'), dir, { recursive: true });
    const genPath = path.join(dir, 'generation_config.json');
    await writeFile(genPath, JSON.stringify({ ...JSON.parse(await readFile(genPath, 'utf8')), ...generation }));
    return load(dir);
  };

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'greedy-'));
    noEos = await copyFixture('no-eos', { eos_token_id: -1 });
    penalised = await copyFixture('penalised', { eos_token_id: -1, repetition_penalty: 1.5, no_repeat_ngram_size: 2 });
  });
  afterAll(async () => {
    for (const m of [noEos, penalised]) await m?.model.dispose();
    await rm(tmp, { recursive: true, force: true });
  });

  it('gives the same tokens as model.generate for one image, two images and text only', async () => {
    for (const pngs of [[red], [red, green], []]) {
      const inputs = await inputsFor(noEos.processor, pngs);
      const ids = await greedyGenerate(noEos.model, inputs, 40);
      expect(ids).toHaveLength(40);
      expect(ids).toEqual(await referenceIds(noEos.model, inputs, 40));
    }
  });

  it('stops at the generation config EOS like model.generate (EOS included)', async () => {
    const inputs = await inputsFor(noEos.processor, [red]);
    const free = await greedyGenerate(noEos.model, inputs, 40);
    const eos = free[5]; // a token greedy decoding reaches: declared EOS, it must end generation there
    const withEos = await copyFixture('eos', { eos_token_id: Number(eos) });
    const ids = await greedyGenerate(withEos.model, inputs, 40);
    expect(ids).toEqual(free.slice(0, free.indexOf(eos) + 1));
    expect(ids).toEqual(await referenceIds(withEos.model, inputs, 40));
    await withEos.model.dispose();
  });

  it("keeps the generation config's logits processors (repetition penalty, no-repeat n-grams)", async () => {
    const inputs = await inputsFor(penalised.processor, [green]);
    const ids = await greedyGenerate(penalised.model, inputs, 40);
    expect(ids).toEqual(await referenceIds(penalised.model, inputs, 40));
    expect(ids).not.toEqual(await greedyGenerate(noEos.model, inputs, 40));
  });

  it('refuses a batch of several prompts', async () => {
    const inputs = await inputsFor(noEos.processor, []);
    const batch = { ...inputs, input_ids: { ...inputs.input_ids, dims: [2, inputs.input_ids.dims[1]] } };
    await expect(greedyGenerate(noEos.model, batch as never, 4)).rejects.toThrow(/one prompt/);
  });
});
