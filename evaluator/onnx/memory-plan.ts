/**
 * Estimates the memory an ONNX bundle needs before it is loaded (docs/decisions/212), so a worker that
 * cannot hold it refuses with a clear message instead of being killed half-way through a load. Pure:
 * the caller reads the files' sizes and the config (bundle-memory.ts) and the limits (gpu-memory.ts).
 */
import { DTYPE_FILE_SUFFIX, type OnnxDtype } from './manifest';
import { SESSION_NAMES } from './architectures';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/**
 * Resident memory of a runner child before any weights: Node.js, onnxruntime-node, transformers.js,
 * tokenizer and processor. 202 MiB measured for the tiny fixture on CPU (Node 20, ORT 1.30), rounded up.
 */
export const RUNTIME_BASE_BYTES = 256 * MiB;
/**
 * Memory a CPU runner gains once a model is loaded and runs, beyond base + weights (ORT's CPU arena,
 * MLAS pre-packed weight buffers, transformers.js tensors on the V8 heap): measured 0, 99, 143 and
 * 153 MB for 0.2, 103, 409 and 1632 MB of weights (docs/decisions/212), so counted as
 * min(weights, 128 MiB); the slack below covers the rest.
 */
export const RUNTIME_WORKING_CAP_BYTES = 128 * MiB;
/**
 * ORT's arena allocators round requests up and keep freed blocks, and the heap fragments over a long
 * run: 10% on top of weights and cache. A guess on the safe side, not a measurement.
 */
export const ALLOCATOR_SLACK = 0.1;
/**
 * Prompt length planned for when the caller does not know better. Counting a release's longest prompt
 * needs the bundle's tokenizer and image processor, which only the runner child loads; 2048 tokens
 * holds a SpineBench question with two or three images at the processors' usual sizes (llava at 336 px:
 * 577 tokens per image; Qwen2-VL at about 0.5 megapixel: ~650). Larger images make longer prompts.
 */
export const DEFAULT_PLAN_PROMPT_TOKENS = 2048;

/** The text model's shape, as config.json gives it. */
export interface TextDims {
  layers: number;
  attentionHeads: number;
  kvHeads: number;
  headDim: number;
  hiddenSize: number;
  intermediateSize: number;
  vocabSize: number;
}

type Json = Record<string, unknown>;

/**
 * Reads the text model's shape: llava keeps it in `text_config`; qwen2_vl / qwen2_5_vl at the top level
 * (newer exports also in `text_config`, which wins). Returns the missing field's name when one is absent.
 */
export function textDimsFromConfig(config: unknown): TextDims | { missing: string } {
  const root = (config && typeof config === 'object' ? config : {}) as Json;
  const text = (root.text_config && typeof root.text_config === 'object' ? root.text_config : {}) as Json;
  const num = (key: string): number | undefined => {
    const value = text[key] ?? root[key];
    return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
  };
  const fields = {
    layers: num('num_hidden_layers'),
    attentionHeads: num('num_attention_heads'),
    hiddenSize: num('hidden_size'),
    intermediateSize: num('intermediate_size'),
    vocabSize: num('vocab_size'),
  };
  for (const [name, value] of Object.entries(fields)) if (value === undefined) return { missing: name };
  const d = fields as Record<keyof typeof fields, number>;
  return {
    ...d,
    // No num_key_value_heads means plain multi-head attention (as in Hugging Face's configs).
    kvHeads: num('num_key_value_heads') ?? d.attentionHeads,
    headDim: num('head_dim') ?? d.hiddenSize / d.attentionHeads,
  };
}

/**
 * Bytes per KV-cache element: fp16 graphs (fp16, q4f16) keep the cache in float16; the others, including
 * the 8- and 4-bit weight formats, compute and cache in float32.
 */
export function kvBytesPerElement(dtype: OnnxDtype): number {
  return dtype === 'fp16' || dtype === 'q4f16' ? 2 : 4;
}

/**
 * Which files under onnx/ are the weights of `dtype`: everything except the graphs (and their external
 * data, `<graph>.onnx_data`, `<graph>.onnx_data_1`, ...) of the other dtypes. A file of unknown purpose
 * counts as weights: the estimate errs on the large side.
 */
export function weightFileBytes(files: { path: string; bytes: number }[], dtype: OnnxDtype): { weightsBytes: number; largestGraphBytes: number } {
  const graphOf = (suffix: string) => SESSION_NAMES.map((s) => `onnx/${s}${suffix}.onnx`);
  const ours = graphOf(DTYPE_FILE_SUFFIX[dtype]);
  const others = (Object.keys(DTYPE_FILE_SUFFIX) as OnnxDtype[]).filter((d) => d !== dtype).flatMap((d) => graphOf(DTYPE_FILE_SUFFIX[d]));
  const belongsTo = (file: string, graphs: string[]) => graphs.some((g) => file === g || file.startsWith(`${g}_data`));
  let weightsBytes = 0;
  let largestGraphBytes = 0;
  for (const f of files) {
    if (!f.path.startsWith('onnx/') || belongsTo(f.path, others)) continue;
    weightsBytes += f.bytes;
    if (ours.includes(f.path)) largestGraphBytes = Math.max(largestGraphBytes, f.bytes);
  }
  return { weightsBytes, largestGraphBytes };
}

export interface MemoryPlanInput {
  /** Bytes of the dtype's three graphs and their external data (weightFileBytes). */
  weightsBytes: number;
  /** The largest of the three .onnx files: ORT holds it whole in host memory while it loads. */
  largestGraphBytes: number;
  dtype: OnnxDtype;
  dims: TextDims;
  promptTokens: number;
  maxNewTokens: number;
  batchSize?: number;
}

export interface MemoryPlan {
  promptTokens: number;
  maxNewTokens: number;
  batchSize: number;
  weightsBytes: number;
  /** Keys and values of every layer for prompt + new tokens: 2 × layers × kvHeads × headDim × tokens × batch × bytes. */
  kvCacheBytes: number;
  /** Largest transient tensors, in the prefill (logits and one decoder layer). */
  activationBytes: number;
  /** Runtime base + working memory + allocator slack. */
  overheadBytes: number;
  /** Everything in host memory: the need on CPU. */
  totalBytes: number;
  /** On a GPU: what the device holds, and what stays in host memory. */
  gpu: { deviceBytes: number; hostBytes: number };
}

export function planMemory(input: MemoryPlanInput): MemoryPlan {
  const { dims, promptTokens, maxNewTokens, weightsBytes } = input;
  const batch = input.batchSize ?? 1;
  const tokens = promptTokens + maxNewTokens;
  const kvCacheBytes = 2 * dims.layers * dims.kvHeads * dims.headDim * tokens * batch * kvBytesPerElement(input.dtype);
  // The prefill is the peak: float32 logits for every prompt position (transformers.js keeps all rows
  // unless the graph takes num_logits_to_keep), plus one layer's working set — ORT frees a layer's
  // intermediates before the next: q/k/v/o and the residual (≈ 4 × hidden), the MLP's gate and up
  // projections (2 × intermediate) and the attention scores (heads × prompt²; CPU kernels materialise them).
  const f32 = 4;
  const logits = batch * promptTokens * dims.vocabSize * f32;
  const layer = batch * promptTokens * (4 * dims.hiddenSize + 2 * dims.intermediateSize) * f32;
  const scores = batch * dims.attentionHeads * promptTokens * promptTokens * f32;
  const activationBytes = logits + layer + scores;
  // Past (fed in) and present (returned) caches coexist for one step, hence 2 × the cache; the cache
  // goes GPU → JavaScript → GPU each token with onnxruntime-node (docs/onnx-submissions.md), so on a
  // GPU the host holds both copies too.
  const inFlightKv = 2 * kvCacheBytes;
  const slack = Math.round(ALLOCATOR_SLACK * (weightsBytes + inFlightKv));
  const working = Math.min(weightsBytes, RUNTIME_WORKING_CAP_BYTES);
  const overheadBytes = RUNTIME_BASE_BYTES + working + slack;
  const totalBytes = weightsBytes + inFlightKv + activationBytes + overheadBytes;
  return {
    promptTokens,
    maxNewTokens,
    batchSize: batch,
    weightsBytes,
    kvCacheBytes,
    activationBytes,
    overheadBytes,
    totalBytes,
    gpu: {
      deviceBytes: weightsBytes + inFlightKv + activationBytes + slack,
      hostBytes: RUNTIME_BASE_BYTES + working + inFlightKv + logits + input.largestGraphBytes,
    },
  };
}

/** Bytes as GiB with two decimals, for messages; under 0.1 GiB in MiB, so small parts do not read as 0. */
export function gib(bytes: number): string {
  return bytes < 0.1 * GiB ? `${(bytes / MiB).toFixed(1)} MiB` : `${(bytes / GiB).toFixed(2)} GiB`;
}

export interface MemoryLimits {
  /** The runner's resident-memory limit (ONNX_MEMORY_LIMIT_MB). */
  hostLimitBytes: number;
  /** 'cpu': the weights live in host memory; 'gpu': on the device (host holds the rest). */
  device: 'cpu' | 'gpu';
  /** Free memory of the GPU, when known (null: unknown, only the host is checked). */
  gpuFreeBytes?: number | null;
  /** The GPU's total memory, when known: a model that fits it but not what is free waits for the GPU. */
  gpuTotalBytes?: number | null;
}

export interface MemoryRefusal {
  message: string;
  /** The GPU could hold the model but other processes use it now: the platform's matter, worth a retry. */
  gpuBusy: boolean;
}

/** Null when the plan fits; otherwise a message naming the need, the limit and what to do. */
export function memoryRefusal(plan: MemoryPlan, limits: MemoryLimits): MemoryRefusal | null {
  const tokens = `${plan.promptTokens} prompt + ${plan.maxNewTokens} new tokens`;
  const breakdown = `weights ${gib(plan.weightsBytes)}, KV cache ${gib(plan.kvCacheBytes)} for ${tokens}, activations ${gib(plan.activationBytes)}`;
  if (limits.device === 'gpu' && limits.gpuFreeBytes != null && plan.gpu.deviceBytes > limits.gpuFreeBytes) {
    const need = `The model needs about ${gib(plan.gpu.deviceBytes)} of GPU memory (${breakdown})`;
    if (limits.gpuTotalBytes != null && plan.gpu.deviceBytes <= limits.gpuTotalBytes) {
      return {
        gpuBusy: true,
        message: `${need}; the GPU has ${gib(limits.gpuTotalBytes)} but only ${gib(limits.gpuFreeBytes)} free (other processes use the rest). The run will be retried.`,
      };
    }
    return {
      gpuBusy: false,
      message: `${need} but the GPU has ${gib(limits.gpuFreeBytes)} free. Use a smaller dtype (q4f16 or fp16) or fewer maxNewTokens, or run it on a worker with a bigger GPU.`,
    };
  }
  const hostNeed = limits.device === 'gpu' ? plan.gpu.hostBytes : plan.totalBytes;
  if (hostNeed > limits.hostLimitBytes) {
    const message =
      `The model needs about ${gib(hostNeed)} of memory on ${limits.device === 'gpu' ? 'the host' : 'CPU'} (${breakdown}) ` +
      `but the runner's memory limit is ${gib(limits.hostLimitBytes)}. ` +
      `Use a smaller dtype (q4 or q8 on CPU) or fewer maxNewTokens, raise the memory limit (ONNX_MEMORY_LIMIT_MB on a worker, --memory-mb with spinebench eval), or run it on a GPU worker.`;
    return { gpuBusy: false, message };
  }
  return null;
}
