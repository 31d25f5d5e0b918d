/**
 * What a run evaluates, fixed when it is submitted and stored on the run (`evaluation_runs.adapter_settings`,
 * plus the encrypted token in `evaluation_runs.endpoint_token_encrypted`). The worker builds its adapter from
 * this record alone, never from the model row, which a later submission under the same names may change:
 * the record is both what runs and the account of what ran (docs/decisions/020-run-adapter-record.md).
 */
import { z } from 'zod';

export const DEFAULT_ENDPOINT_TIMEOUT_MS = 120_000;
export const DEFAULT_ENDPOINT_ATTEMPTS = 3;

const positiveInt = z.number().int().positive();

export const endpointRunSettings = z.object({
  kind: z.literal('endpoint'),
  /** Base URL of the team's OpenAI-compatible endpoint, as it passed the SSRF check. */
  url: z.string().min(1),
  /** The `model` field sent in each Chat Completions request. */
  model: z.string().min(1),
  timeoutMs: positiveInt,
  attempts: positiveInt,
  temperature: z.literal(0),
});

export const onnxRunSettings = z.object({
  kind: z.literal('onnx'),
  /** Folder of the validated bundle; kept while a queued or running run names it. */
  artifactDir: z.string().min(1),
  timeoutMs: positiveInt,
  memoryLimitMb: positiveInt,
  maxNewTokens: positiveInt.optional(),
  dtype: z.string().optional(),
  decoding: z.literal('greedy'),
});

/** A reference baseline, answered inside the worker (evaluator/baselines): no network, no endpoint to redirect. */
export const baselineRunSettings = z.object({
  kind: z.literal('baseline'),
  model: z.string().min(1),
});

export const runAdapterSettings = z.discriminatedUnion('kind', [endpointRunSettings, onnxRunSettings, baselineRunSettings]);

export type EndpointRunSettings = z.infer<typeof endpointRunSettings>;
export type OnnxRunSettings = z.infer<typeof onnxRunSettings>;
export type BaselineRunSettings = z.infer<typeof baselineRunSettings>;
export type RunAdapterSettings = z.infer<typeof runAdapterSettings>;
