/**
 * Token-authenticated submissions through the one submission service (app/utils/submission-service.server.ts):
 * the team is the token's, never a field of the body.
 */
import type { AppServices } from '../services.server';
import type { UploadStore } from '../utils/chunked-uploads.server';
import { acceptOnnxArchive } from '../utils/onnx-intake.server';
import { checkSubmissionTarget, submitEndpoint, type SubmissionActor } from '../utils/submission-service.server';
import type { SubmissionOutcome } from '../utils/submission-refusal';
import { ApiError, codeForStatus } from './errors.server';
import type { TokenPrincipal } from './token-auth.server';

/** A refusal of the service as the API's error; an acceptance as the 201 body. */
export function submissionResult(outcome: SubmissionOutcome) {
  if (outcome.ok) return { runId: outcome.runId, modelId: outcome.modelId, runUrl: `/runs/${outcome.runId}`, statusUrl: `/api/v1/runs/${outcome.runId}` };
  const fields = Object.keys(outcome.fieldErrors ?? {});
  const code = outcome.status === 400 && fields.length > 0 ? 'invalid_field' : codeForStatus(outcome.status);
  throw new ApiError(outcome.status, code, fields.length === 1 ? outcome.fieldErrors![fields[0] as keyof typeof outcome.fieldErrors]! : outcome.message, fields[0], {
    ...(outcome.fieldErrors ? { fieldErrors: outcome.fieldErrors } : {}),
    ...(outcome.problems ? { problems: outcome.problems } : {}),
  });
}

/** The token's team submits; the account charged is the one that made the token. */
export function tokenActor(principal: TokenPrincipal): SubmissionActor {
  return { teamId: principal.team.id, userId: principal.token.createdBy };
}

export async function submitEndpointAs(services: AppServices, principal: TokenPrincipal, body: Record<string, unknown>) {
  return submissionResult(await submitEndpoint(services, tokenActor(principal), body));
}

/** Finishes an upload the token's team started: checks the fields, then extracts, validates and submits the bundle. */
export async function completeUploadAs(services: AppServices, principal: TokenPrincipal, store: UploadStore, id: string, body: Record<string, unknown>) {
  const target = await checkSubmissionTarget(services, tokenActor(principal), body);
  if (!target.ok) return submissionResult(target);
  try {
    return submissionResult(await acceptOnnxArchive(services, store.partPath(id), target));
  } finally {
    await store.remove(id);
  }
}
