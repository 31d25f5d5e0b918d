import type { ActionFunctionArgs } from '@remix-run/node';
import { apiRoute, methodNotAllowed } from '../api/errors.server';
import { requireJsonBody } from '../api/json-body.server';
import { completeUploadAs } from '../api/submit.server';
import { ownedUpload, requireComplete, storeOf } from '../api/uploads.server';
import { requireApiToken } from '../api/token-auth.server';

/**
 * POST /api/v1/uploads/:id/complete {"modelName", "release", "split"}: submits the uploaded ONNX bundle archive.
 * A field refusal keeps the upload (fix and repeat); a refused bundle (422) removes it.
 */
export const action = apiRoute(async ({ context, request, params }: ActionFunctionArgs) => {
  if (request.method !== 'POST') return methodNotAllowed(['POST'])();
  const principal = await requireApiToken(request, context.services, 'submit');
  const store = storeOf(context.services);
  const upload = await ownedUpload(store, params.id ?? '', principal);
  requireComplete(upload);
  const body = await requireJsonBody(request, '{"modelName", "release", "split"}');
  return Response.json(await completeUploadAs(context.services, principal, store, upload.id, body), { status: 201 });
});
export const loader = methodNotAllowed(['POST']);
