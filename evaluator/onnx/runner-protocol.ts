/** Messages between the ONNX adapter (parent) and runner-child (child process), over Node IPC. */
import type { ErrorCode } from '../errors';
import type { ModelPrompt } from '../adapters/types';

import type { GpuAdapterInfo } from './gpu-adapter-info';
import type { MemoryCheck } from './bundle-memory';

export const DEVICES = ['cuda', 'webgpu', 'cpu'] as const;
export type Device = (typeof DEVICES)[number];
/** `auto`: CUDA, else WebGPU on a hardware GPU, else CPU (evaluator/onnx/choose-device.ts). */
export type DeviceChoice = 'auto' | Device;
export const DEVICE_CHOICES: readonly DeviceChoice[] = ['auto', ...DEVICES];

export interface SkippedDevice {
  device: Exclude<Device, 'cpu'>;
  /** E.g. "CUDA execution provider library not installed". */
  reason: string;
}

export interface RuntimeInfo {
  /** Execution device actually used. */
  device: Device;
  /** The GPU behind a cuda or webgpu device, as far as the host tells. */
  adapter?: GpuAdapterInfo;
  /** Devices tried before the chosen one and why each was not used (`auto`). */
  skipped?: SkippedDevice[];
  onnxruntimeVersion: string;
  transformersVersion: string;
}

export interface GenerateResult {
  text: string;
  /** Tokens generated (after the prompt). */
  newTokens: number;
  /** Wall time of preprocessing + generation inside the child. */
  generateMs: number;
  /** The preprocessing part of generateMs: chat template, image decoding, image processor, tokenizer. */
  preprocessMs: number;
  /** Prompts generated together with this one (batch calls only; decision 213). */
  batchSize?: number;
}

/**
 * In a batch (decision 213) each item's `preprocessMs` is its own; `generateMs` is the batch's wall time
 * (preprocessing of all items + one batched generation), the same for every item.
 */
export type BatchItemOutcome = { ok: true; result: GenerateResult } | { ok: false; code: ErrorCode; message: string; detail?: string };

export type ParentMessage =
  | { type: 'generate'; id: number; prompt: ModelPrompt }
  /** Several prompts generated together; answered by one 'batchResult' (or one 'error' for the whole batch). */
  | { type: 'generateBatch'; id: number; prompts: ModelPrompt[] };

export type ChildMessage =
  /** `memory`: the child's own memory check, made for the device `auto` chose (absent for a named device). */
  | { type: 'ready'; runtime: RuntimeInfo; loadMs: number; memory?: MemoryCheck }
  | { type: 'result'; id: number; result: GenerateResult }
  /** One outcome per prompt, in order: an item whose preprocessing failed fails alone. */
  | { type: 'batchResult'; id: number; results: BatchItemOutcome[] }
  /**
   * `message` is safe to show anywhere. `detail` is the raw library error: for a generate call it may
   * quote the prompt (a chat template can raise with the item's text), so it is shown only when the
   * adapter was created with errorDetail 'show' (public dev split). `platformFault`: the worker's, not
   * the model's (e.g. the configured device is missing), so the team is not charged. `transient`: worth
   * retrying later (e.g. the GPU is busy with other processes).
   */
  | { type: 'error'; id: number | null; code: ErrorCode; message: string; detail?: string; platformFault?: boolean; transient?: boolean };

/** Environment variables the parent sets for the child. */
export const RUNNER_ENV = { modelDir: 'SPINEBENCH_ONNX_MODEL_DIR', device: 'SPINEBENCH_ONNX_DEVICE', memoryPlan: 'SPINEBENCH_ONNX_MEMORY_PLAN' } as const;

/**
 * What the child needs to check the memory plan itself once `auto` has chosen a device (JSON in
 * RUNNER_ENV.memoryPlan): the parent can only guess the device before the child has tried them.
 */
export interface ChildMemoryPlanOptions {
  memoryLimitMb: number;
  promptTokens?: number;
  batchSize: number;
}
