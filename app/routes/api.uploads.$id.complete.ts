import type { ActionFunctionArgs } from '@remix-run/node';
import { jsonError, readJsonObject, submissionAnswer } from '../utils/api-answers.server';
import { uploadStoreFor } from '../utils/chunked-uploads.server';
import { acceptOnnxArchive } from '../utils/onnx-intake.server';
import { checkSubmissionTarget } from '../utils/submission-service.server';

/**
 * POST /api/uploads/:id/complete  {"teamName", "modelName", "release", "split"}
 * → 201 {runId, modelId, runUrl}, or the refusal: 400/429 with fieldErrors (the upload is kept, so the
 * call can be repeated with fixed fields), 422 with the bundle's problems (the upload is removed).
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  if (request.method !== 'POST') return jsonError(405, 'Use POST to finish an upload.');
  const store = uploadStoreFor(context.services.config);
  const id = params.id ?? '';
  const state = await store.status(id);
  if (!state) return jsonError(404, 'No such upload (finished, removed, or never created).');
  if (state.totalBytes !== null && state.offset !== state.totalBytes) {
    return jsonError(409, `The upload holds ${state.offset} of ${state.totalBytes} bytes; send the rest first.`, { offset: state.offset });
  }
  if (state.offset === 0) return jsonError(409, 'The upload is empty; send the archive first.', { offset: 0 });
  const body = await readJsonObject(request);
  if (!body) return jsonError(400, 'Send the submission as a JSON object: {"teamName", "modelName", "release", "split"}.');
  const target = await checkSubmissionTarget(context.services, body);
  if (!target.ok) return submissionAnswer(target);
  try {
    return submissionAnswer(await acceptOnnxArchive(context.services, store.partPath(id), target));
  } finally {
    await store.remove(id);
  }
}
