import type { ActionFunctionArgs } from '@remix-run/node';
import { apiRoute, methodNotAllowed } from '../api/errors.server';
import { requireJsonBody } from '../api/json-body.server';
import { submissionResult, tokenActor } from '../api/submit.server';
import { requireApiToken } from '../api/token-auth.server';
import { registerSharedOnnxBundle } from '../utils/shared-bundles.server';

/**
 * POST /api/shared-bundles  {"path", "modelName", "release", "split"} with a team API token (scope `submit`)
 * Registers a bundle folder that lies under the operator's ONNX_SHARED_ROOT (for models too large to
 * upload) for the token's team; validated in place before a run is queued. → 201 {runId, modelId, runUrl}.
 */
export const action = apiRoute(async ({ request, context }: ActionFunctionArgs) => {
  if (request.method !== 'POST') return methodNotAllowed(['POST'])();
  const principal = await requireApiToken(request, context.services, 'submit');
  const body = await requireJsonBody(request, '{"path", "modelName", "release", "split"}');
  return Response.json(submissionResult(await registerSharedOnnxBundle(context.services, tokenActor(principal), body)), { status: 201 });
});
export const loader = methodNotAllowed(['POST']);
