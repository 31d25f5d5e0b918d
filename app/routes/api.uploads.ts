import type { ActionFunctionArgs } from '@remix-run/node';
import { jsonError, readJsonObject, uploadErrorResponse } from '../utils/api-answers.server';
import { uploadStoreFor } from '../utils/chunked-uploads.server';

/**
 * POST /api/uploads  {"totalBytes": N}  → 201 {id, offset: 0, totalBytes, maxBytes}
 * Starts a resumable upload of an ONNX bundle archive; chunks follow with PUT /api/uploads/:id.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  if (request.method !== 'POST') return jsonError(405, 'Use POST to start an upload.');
  const body = (await readJsonObject(request)) ?? {};
  const store = uploadStoreFor(context.services.config);
  try {
    const upload = await store.create(body.totalBytes as number | undefined);
    return Response.json({ ...upload, maxBytes: store.maxBytes }, { status: 201 });
  } catch (e) {
    return uploadErrorResponse(e);
  }
}

export function loader() {
  return jsonError(405, 'Use POST to start an upload.');
}
