import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { apiRoute, methodNotAllowed } from '../api/errors.server';
import { appendChunk, ownedUpload, publicState, storeOf } from '../api/uploads.server';
import { requireApiToken } from '../api/token-auth.server';

/** GET /api/v1/uploads/:id: where to resume (scope `submit`, the team's own uploads only). */
export const loader = apiRoute(async ({ context, request, params }: LoaderFunctionArgs) => {
  const principal = await requireApiToken(request, context.services, 'submit');
  return Response.json(publicState(await ownedUpload(storeOf(context.services), params.id ?? '', principal)));
});

/** PUT: append a chunk (Content-Range: bytes START-END/TOTAL); DELETE: abandon the upload. */
export const action = apiRoute(async ({ context, request, params }: ActionFunctionArgs) => {
  if (request.method !== 'PUT' && request.method !== 'DELETE') return methodNotAllowed(['GET', 'PUT', 'DELETE'])();
  const principal = await requireApiToken(request, context.services, 'submit');
  const store = storeOf(context.services);
  const upload = await ownedUpload(store, params.id ?? '', principal);
  if (request.method === 'DELETE') {
    await store.remove(upload.id);
    return new Response(null, { status: 204 });
  }
  return Response.json(await appendChunk(store, upload.id, request));
});
