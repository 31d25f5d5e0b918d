import { z } from 'zod';

/** The endpoint-submission form, validated on the server. Field names match the form inputs. */
export const endpointSubmissionForm = z.object({
  teamName: z.string().trim().min(2, 'Team name needs at least 2 characters.').max(80),
  modelName: z
    .string()
    .trim()
    .min(1, 'Model name is required.')
    .max(80)
    .regex(/^[\w.\- ]+$/, 'Model name may hold letters, digits, spaces, ".", "_" and "-".'),
  endpointUrl: z
    .string()
    .trim()
    .url('Endpoint URL must be a full URL such as https://example.org/v1.')
    .refine((u) => /^https?:$/.test(new URL(u).protocol), 'Endpoint URL must use http or https.'),
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
export const onnxSubmissionFields = endpointSubmissionForm.pick({ teamName: true, modelName: true, release: true, split: true });
export type OnnxSubmissionFields = z.infer<typeof onnxSubmissionFields>;
