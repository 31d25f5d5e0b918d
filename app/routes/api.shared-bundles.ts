import type { ActionFunctionArgs } from '@remix-run/node';
import { jsonError, readJsonObject, submissionAnswer } from '../utils/api-answers.server';
import { registerSharedOnnxBundle } from '../utils/shared-bundles.server';

/**
 * POST /api/shared-bundles  {"path", "teamName", "modelName", "release", "split"}
 * Registers a bundle folder that lies under the operator's ONNX_SHARED_ROOT (for models too large to
 * upload); validated in place before a run is queued. → 201 {runId, modelId, runUrl} or the refusal.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  if (request.method !== 'POST') return jsonError(405, 'Use POST to register a bundle.');
  const body = await readJsonObject(request);
  if (!body) return jsonError(400, 'Send a JSON object: {"path", "teamName", "modelName", "release", "split"}.');
  return submissionAnswer(await registerSharedOnnxBundle(context.services, body));
}
