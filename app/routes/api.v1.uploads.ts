import type { ActionFunctionArgs } from '@remix-run/node';
import { apiRoute, methodNotAllowed } from '../api/errors.server';
import { readJsonObject } from '../utils/api-answers.server';
import { startUpload, storeOf } from '../api/uploads.server';
import { requireApiToken } from '../api/token-auth.server';

/** POST /api/v1/uploads {"totalBytes"}: starts a resumable ONNX bundle upload for the token's team (scope `submit`). */
export const action = apiRoute(async ({ context, request }: ActionFunctionArgs) => {
  if (request.method !== 'POST') return methodNotAllowed(['POST'])();
  const principal = await requireApiToken(request, context.services, 'submit');
  const body = (await readJsonObject(request)) ?? {};
  return Response.json(await startUpload(storeOf(context.services), principal, body), { status: 201 });
});
export const loader = methodNotAllowed(['POST']);
