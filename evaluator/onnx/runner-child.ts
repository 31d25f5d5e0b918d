/**
 * Child-process entry of the ONNX runner. Loads one submitted model from local files only
 * (transformers.js on onnxruntime-node, on the device choose-device.ts picks), keeps it loaded and answers
 * generate requests from the parent over IPC, one at a time (a request may be a batch of prompts), with
 * greedy decoding (greedy-generate.ts).
 *
 * Started by onnx-adapter.ts via child_process.fork (advanced serialization); the model folder and
 * device choice come in RUNNER_ENV. Messages never quote the prompt (hidden items stay hidden).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { AutoModelForImageTextToText, AutoProcessor, RawImage, env, type PreTrainedModel, type Processor } from '@huggingface/transformers';
import { EvaluationError, isEvaluationError, type ErrorCode } from '../errors';
import type { ModelPrompt } from '../adapters/types';
import { promptToChatMessages } from './chat-messages';
import { chooseDevice, type ChosenDevice } from './choose-device';
import { detectCuda } from './cuda-detect';
import { detectWebGpu } from './webgpu-detect';
import { MANIFEST_FILE_NAME, onnxManifestSchema, type OnnxManifest } from './manifest';
import { greedyGenerate, greedyGenerateBatch } from './greedy-generate';
import { buildModelInputs, type Inputs } from './model-inputs';
import { RUNNER_ENV, type BatchItemOutcome, type ChildMemoryPlanOptions, type ChildMessage, type Device, type DeviceChoice, type GenerateResult, type ParentMessage, type RuntimeInfo } from './runner-protocol';
import { fixQwenTextRopeDeltas } from './qwen-rope-fix';
import { checkBundleMemory, type MemoryCheck } from './bundle-memory';
import { RUNNER_SESSION_OPTIONS } from './session-options';

interface LoadedModel {
  manifest: OnnxManifest;
  processor: Processor;
  model: PreTrainedModel;
}

const send = (message: ChildMessage) => process.send?.(message);
const short = (e: unknown) => (e instanceof Error ? e.message : String(e)).slice(0, 400);

async function loadModel(modelDir: string, device: Device): Promise<LoadedModel> {
  const manifest = onnxManifestSchema.parse(JSON.parse(await readFile(path.join(modelDir, MANIFEST_FILE_NAME), 'utf8')));
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.useFSCache = false;
  env.localModelPath = path.dirname(path.resolve(modelDir));
  const id = path.basename(path.resolve(modelDir));
  const processor = await AutoProcessor.from_pretrained(id, { local_files_only: true });
  const model = await AutoModelForImageTextToText.from_pretrained(id, { local_files_only: true, device, dtype: manifest.dtype, session_options: RUNNER_SESSION_OPTIONS });
  if (manifest.architecture === 'qwen2_vl' || manifest.architecture === 'qwen2_5_vl') fixQwenTextRopeDeltas(model);
  return { manifest, processor, model };
}

/** Chat template, image decoding, processor: the model inputs of one prompt (batch 1). */
async function preprocess(loaded: LoadedModel, prompt: ModelPrompt): Promise<Inputs> {
  const { manifest, processor } = loaded;
  const chatTemplate = 'inline' in manifest.chatTemplate ? manifest.chatTemplate.inline : undefined;
  const text = processor.apply_chat_template(promptToChatMessages(prompt) as never, {
    add_generation_prompt: true,
    tokenize: false,
    ...(chatTemplate ? { chat_template: chatTemplate } : {}),
  }) as string;
  const images = await Promise.all(prompt.images.map((img) => RawImage.fromBlob(new Blob([new Uint8Array(img.data)], { type: img.mimeType }))));
  return buildModelInputs(manifest.architecture, processor, text, images);
}

async function generate(loaded: LoadedModel, prompt: ModelPrompt): Promise<GenerateResult> {
  const started = performance.now();
  const { manifest, processor, model } = loaded;
  const inputs = await preprocess(loaded, prompt);
  const preprocessed = performance.now();
  const newIds = await greedyGenerate(model, inputs, manifest.maxNewTokens);
  const [decoded] = processor.batch_decode([newIds.map(Number)] as never, { skip_special_tokens: true });
  return { text: decoded, newTokens: newIds.length, generateMs: performance.now() - started, preprocessMs: preprocessed - started };
}

/** The same code and message as a failed single generate call. */
const failure = (e: unknown): BatchItemOutcome => ({
  ok: false,
  code: 'model_crashed',
  message: `Generation failed (${e instanceof Error ? e.name : typeof e}).`,
  detail: short(e),
});

/**
 * Several prompts in one batched generation (decision 213). An item whose preprocessing fails (say, an
 * image that does not decode) fails alone; a generation failure throws and fails the whole batch.
 */
async function generateBatch(loaded: LoadedModel, prompts: ModelPrompt[]): Promise<BatchItemOutcome[]> {
  const started = performance.now();
  const { manifest, processor, model } = loaded;
  const prepared: { inputs?: Inputs; preprocessMs: number; error?: BatchItemOutcome }[] = [];
  for (const prompt of prompts) {
    const t = performance.now();
    try {
      prepared.push({ inputs: await preprocess(loaded, prompt), preprocessMs: performance.now() - t });
    } catch (e) {
      prepared.push({ preprocessMs: performance.now() - t, error: failure(e) });
    }
  }
  const padTokenId = (processor as unknown as { tokenizer?: { pad_token_id?: number } }).tokenizer?.pad_token_id ?? undefined;
  const ready = prepared.flatMap((p, i) => (p.inputs ? [i] : []));
  const newIds = new Map<number, bigint[]>();
  if (ready.length > 0) {
    const ids = await greedyGenerateBatch(model, ready.map((i) => prepared[i].inputs!), manifest.maxNewTokens, padTokenId);
    ready.forEach((i, r) => newIds.set(i, ids[r]));
  }
  const generateMs = performance.now() - started;
  return prepared.map((p, i) => {
    const ids = newIds.get(i);
    if (!ids) return p.error!;
    const [text] = processor.batch_decode([ids.map(Number)] as never, { skip_special_tokens: true });
    return { ok: true, result: { text, newTokens: ids.length, generateMs, preprocessMs: p.preprocessMs, batchSize: prompts.length } };
  });
}

/** Reports why the runner could not start, and ends this process. */
function startFailed(error: ChildMessage & { type: 'error' }): void {
  send(error);
  process.disconnect?.();
  process.exitCode = 1;
}

/** The memory plan checked for `device` with the parent's limits (RUNNER_ENV.memoryPlan); throws the refusal. */
function checkMemoryFor(modelDir: string, device: Device): Promise<MemoryCheck> {
  const options = JSON.parse(process.env[RUNNER_ENV.memoryPlan] ?? 'null') as ChildMemoryPlanOptions | null;
  if (!options) throw new EvaluationError('internal', `runner-child needs ${RUNNER_ENV.memoryPlan} with device auto`, { platformFault: true });
  return checkBundleMemory(modelDir, device, options.memoryLimitMb, { promptTokens: options.promptTokens, batchSize: options.batchSize });
}

async function main(): Promise<void> {
  const modelDir = process.env[RUNNER_ENV.modelDir];
  const deviceChoice = (process.env[RUNNER_ENV.device] ?? 'auto') as DeviceChoice;
  if (!modelDir || !process.send) {
    console.error('runner-child must be started by the ONNX adapter (IPC channel and model folder needed)');
    process.exit(2);
  }
  let loaded: LoadedModel;
  let runtime: RuntimeInfo;
  const loadStarted = performance.now();
  let chosen: ChosenDevice;
  try {
    chosen = await chooseDevice(deviceChoice, { cuda: detectCuda, webgpu: detectWebGpu });
  } catch (e) {
    // The worker's fault, not the model's: the team is not charged for it.
    return startFailed({ type: 'error', id: null, code: 'internal', message: `This worker cannot run models on ${deviceChoice}: ${short(e)}`, platformFault: true });
  }
  let memory: MemoryCheck | undefined;
  if (deviceChoice === 'auto') {
    // The parent planned for a guessed device; check again for the one chosen, before any weight is read.
    try {
      memory = await checkMemoryFor(modelDir, chosen.device);
    } catch (e) {
      const error = isEvaluationError(e) ? e : new EvaluationError('internal', short(e), { platformFault: true });
      return startFailed({ type: 'error', id: null, code: error.code, message: error.message, platformFault: error.options.platformFault, transient: error.transient });
    }
  }
  try {
    const { device, adapter, skipped } = chosen;
    loaded = await loadModel(modelDir, device);
    runtime = {
      device,
      ...(adapter ? { adapter } : {}),
      ...(skipped.length > 0 ? { skipped } : {}),
      onnxruntimeVersion: ort.env.versions.node ?? 'unknown',
      transformersVersion: env.version,
    };
  } catch (e) {
    return startFailed({ type: 'error', id: null, code: 'invalid_artifact', message: `The model could not be loaded: ${short(e)}` });
  }
  send({ type: 'ready', runtime, loadMs: performance.now() - loadStarted, ...(memory ? { memory } : {}) });

  // Requests are handled strictly one at a time; the parent never sends a second one before an answer.
  let queue = Promise.resolve();
  process.on('message', (message: ParentMessage) => {
    if (message?.type !== 'generate' && message?.type !== 'generateBatch') return;
    queue = queue.then(async () => {
      try {
        if (message.type === 'generateBatch') send({ type: 'batchResult', id: message.id, results: await generateBatch(loaded, message.prompts) });
        else send({ type: 'result', id: message.id, result: await generate(loaded, message.prompt) });
      } catch (e) {
        const code: ErrorCode = 'model_crashed';
        const kind = e instanceof Error ? e.name : typeof e;
        send({ type: 'error', id: message.id, code, message: `Generation failed (${kind}).`, detail: short(e) });
      }
    });
  });
  process.on('disconnect', () => process.exit(0));
}

await main();
