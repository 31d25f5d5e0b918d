import { z } from 'zod';
import { modelCardFields } from '../models/model-card';

function urlProtocol(u: string): string | null {
  try {
    return new URL(u).protocol;
  } catch {
    return null;
  }
}

/**
 * A model name: letters, digits, spaces, ".", "_", "-", and one "/" between an owner and a name as on
 * Hugging Face (`Qwen/Qwen2.5-VL-7B-Instruct`).
 */
export const modelNameField = z
  .string()
  .trim()
  .min(1, 'Model name is required.')
  .max(80, 'Model name may be at most 80 characters.')
  .regex(/^[\w.\- ]+(\/[\w.\- ]+)?$/, 'Model name may hold letters, digits, spaces, ".", "_", "-" and one "/" (as in Qwen/Qwen2.5-VL-7B-Instruct).');

/** The endpoint-submission form, validated on the server. Field names match the form inputs. */
export const endpointSubmissionForm = modelCardFields.extend({
  modelName: modelNameField,
  endpointUrl: z
    .string()
    .trim()
    .url('Endpoint URL must be a full URL such as https://example.org/v1.')
    // A URL that does not parse was already refused by .url(); this check must not throw on it.
    .refine((u) => /^https?:$/.test(urlProtocol(u) ?? 'http:'), 'Endpoint URL must use http or https.'),
  endpointModel: z.string().trim().min(1, 'The model name the endpoint serves is required.').max(200),
  endpointToken: z
    .string()
    .trim()
    .max(4096, 'The token is too long.')
    .optional()
    .transform((t) => t || undefined),
  release: z.string().min(1, 'Choose a release.'),
  split: z.enum(['dev', 'test'], { message: 'Split must be dev or test.' }),
});

export type EndpointSubmissionForm = z.infer<typeof endpointSubmissionForm>;

/** Parses fields with a schema; on failure, the first message for each field (keyed by field name). */
export function parseFields<T extends z.ZodTypeAny>(schema: T, fields: Record<string, unknown>) {
  // No field of any form holds control characters such as NUL (PostgreSQL refuses NUL in text).
  const controlErrors: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value === 'string' && /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value)) controlErrors[name] = 'This field holds control characters (such as NUL); remove them.';
  }
  if (Object.keys(controlErrors).length > 0) return { ok: false as const, fieldErrors: controlErrors };
  const result = schema.safeParse(fields);
  if (result.success) return { ok: true as const, value: result.data as z.infer<T> };
  const fieldErrors: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? 'form');
    fieldErrors[field] ??= issue.message;
  }
  return { ok: false as const, fieldErrors };
}

/** What an ONNX submission names besides its bundle (web form fields or the upload API's JSON). */
export const onnxSubmissionFields = endpointSubmissionForm.omit({ endpointUrl: true, endpointModel: true, endpointToken: true });
export type OnnxSubmissionFields = z.infer<typeof onnxSubmissionFields>;
