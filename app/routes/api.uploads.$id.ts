import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { jsonError, uploadErrorResponse } from '../utils/api-answers.server';
import { parseContentRange, uploadStoreFor } from '../utils/chunked-uploads.server';

/** GET /api/uploads/:id → {id, offset, totalBytes}: where to resume. */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const state = await uploadStoreFor(context.services.config).status(params.id ?? '');
  return state ? Response.json(state) : jsonError(404, 'No such upload (finished, removed, or never created).');
}

/**
 * PUT /api/uploads/:id with `Content-Range: bytes START-END/TOTAL` (or `?offset=START`): appends the
 * body, streamed, at START, which must be the current offset (409 with the offset otherwise).
 * DELETE /api/uploads/:id: abandons the upload and removes its bytes.
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const store = uploadStoreFor(context.services.config);
  const id = params.id ?? '';
  if (request.method === 'DELETE') {
    if (!(await store.status(id))) return jsonError(404, 'No such upload.');
    await store.remove(id);
    return new Response(null, { status: 204 });
  }
  if (request.method !== 'PUT') return jsonError(405, 'Use PUT to send a chunk, DELETE to abandon the upload.');
  const rangeHeader = request.headers.get('content-range');
  const range = parseContentRange(rangeHeader);
  const offsetParam = new URL(request.url).searchParams.get('offset');
  if (rangeHeader && !range) return jsonError(400, `Content-Range "${rangeHeader}" is not of the form "bytes START-END/TOTAL".`);
  if (!range && !(offsetParam && /^\d+$/.test(offsetParam))) {
    return jsonError(400, 'Say where the chunk starts: a Content-Range header (bytes START-END/TOTAL) or ?offset=START.');
  }
  if (!request.body) return jsonError(400, 'The chunk is empty.');
  try {
    const start = range ? range.start : Number(offsetParam);
    const length = range ? range.end - range.start + 1 : null;
    const state = await store.append(id, start, request.body as WebReadableStream<Uint8Array>, length, range?.total ?? null);
    return Response.json(state);
  } catch (e) {
    return uploadErrorResponse(e);
  }
}
