import { z } from 'zod';
import { JUDGE_PROMPT_VERSION } from './prompt';

export { JUDGE_PROMPT_VERSION };

/** An LLM judge behind an OpenAI-compatible Chat Completions endpoint, set by maintainers. */
export const judgeConfigSchema = z
  .object({
    /** Base URL up to and including the API prefix, e.g. `https://api.example.com/v1`; `/chat/completions` is appended. */
    baseUrl: z.string().url(),
    /** Model name sent in the request; pin a dated or digest-qualified name (`gpt-4o-2024-08-06`). */
    model: z.string().min(1),
    /** Pinned version recorded with every score (a release date, a weights digest). */
    modelVersion: z.string().min(1),
    /** Bearer token, if the endpoint needs one. Never logged. */
    apiKey: z.string().min(1).optional(),
    timeoutMs: z.number().int().positive().default(120_000),
    /** Total tries per report for malformed answers and transient failures (timeouts, 429, 5xx). */
    maxAttempts: z.number().int().min(1).max(10).default(3),
    retryBackoffMs: z.number().int().min(0).default(1_000),
    maxTokens: z.number().int().positive().default(2_048),
    /** Sends `response_format: {type: "json_object"}`; turn off for servers that reject it. */
    jsonMode: z.boolean().default(true),
    /**
     * The model id the endpoint must report serving (the response's `model`), when it spells the pinned model
     * differently from the requested name; defaults to `model`. Any other id stops judging (docs/decisions/131).
     */
    servedModel: z.string().min(1).optional(),
  })
  .strict();

export type JudgeConfigInput = z.input<typeof judgeConfigSchema>;
export type JudgeConfig = z.output<typeof judgeConfigSchema>;

/** Who judged: stored with every judge score. */
export interface JudgeIdentity {
  model: string;
  modelVersion: string;
  /** `judge-prompt-<hash>`: derived from the prompt's content (evaluator/judge/prompt.ts). */
  promptVersion: string;
  /** `<prompt version>|<model>@<model version>|t0`: changes whenever a stored judge score would. */
  configVersion: string;
}

export function parseJudgeConfig(input: unknown): JudgeConfig {
  const parsed = judgeConfigSchema.safeParse(input);
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`judge config is invalid: ${where}`);
  }
  return parsed.data;
}

export function judgeIdentity(config: Pick<JudgeConfig, 'model' | 'modelVersion'>): JudgeIdentity {
  return {
    model: config.model,
    modelVersion: config.modelVersion,
    promptVersion: JUDGE_PROMPT_VERSION,
    configVersion: judgeConfigVersion(JUDGE_PROMPT_VERSION, config.model, config.modelVersion),
  };
}

/** The configuration version of a judge identity; boards rebuild it to find that judge's calibration. */
export function judgeConfigVersion(promptVersion: string, model: string, modelVersion: string): string {
  return `${promptVersion}|${model}@${modelVersion}|t0`;
}
