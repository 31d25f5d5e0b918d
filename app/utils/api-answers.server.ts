import { UploadError } from './chunked-uploads.server';
import type { SubmissionOutcome } from './submission-refusal';

/** JSON answers of the upload API: refusals carry `error` (one sentence) and, where they help, details. */
export function jsonError(status: number, error: string, extra: Record<string, unknown> = {}): Response {
  return Response.json({ error, ...extra }, { status });
}

export function uploadErrorResponse(e: unknown): Response {
  if (e instanceof UploadError) return jsonError(e.status, e.message, e.offset !== undefined ? { offset: e.offset } : {});
  throw e;
}

export function submissionAnswer(outcome: SubmissionOutcome): Response {
  if (outcome.ok) return Response.json({ runId: outcome.runId, modelId: outcome.modelId, runUrl: `/runs/${outcome.runId}` }, { status: 201 });
  return jsonError(outcome.status, outcome.message, {
    ...(outcome.fieldErrors ? { fieldErrors: outcome.fieldErrors } : {}),
    ...(outcome.problems ? { problems: outcome.problems } : {}),
  });
}

/** The request body as a JSON object, or null when it is not one. */
export async function readJsonObject(request: Request): Promise<Record<string, unknown> | null> {
  try {
    const value = (await request.json()) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
