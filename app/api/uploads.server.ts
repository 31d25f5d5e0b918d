/** The resumable ONNX upload under /api/v1: the same store as /api/uploads, each upload owned by the token's team. */
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { AppServices } from '../services.server';
import { parseContentRange, UploadError, uploadStoreFor, type UploadState, type UploadStore } from '../utils/chunked-uploads.server';
import { ApiError, codeForStatus } from './errors.server';
import type { TokenPrincipal } from './token-auth.server';

export function storeOf(services: Pick<AppServices, 'config'>): UploadStore {
  return uploadStoreFor(services.config);
}

function publicState(state: UploadState) {
  return { id: state.id, offset: state.offset, totalBytes: state.totalBytes, createdAt: state.createdAt };
}

function asApiError(e: unknown): never {
  if (e instanceof UploadError) throw new ApiError(e.status, codeForStatus(e.status), e.message, undefined, e.offset !== undefined ? { offset: e.offset } : undefined);
  throw e;
}

/** The upload, when it exists and the token's team started it (another team's upload is "not found" too). */
export async function ownedUpload(store: UploadStore, id: string, principal: TokenPrincipal): Promise<UploadState> {
  const state = await store.status(id);
  if (!state || state.ownerTeamId !== principal.team.id) throw new ApiError(404, 'not_found', `No upload "${id.slice(0, 40)}" of team ${principal.team.name} (finished, removed, or never created).`, 'id');
  return state;
}

/** Bytes of open uploads one team may hold in the upload folder: room for its largest bundle, twice. */
export const TEAM_UPLOAD_SHARE = 2;
/** Uploads one team may have open at once. */
export const TEAM_OPEN_UPLOADS = 3;

/**
 * Starts an upload for the token's team. The size must be declared (the store refuses chunks beyond it), and a
 * team's open uploads may hold at most TEAM_UPLOAD_SHARE × the archive limit, in at most TEAM_OPEN_UPLOADS
 * uploads: one team cannot fill the platform's disk.
 */
export async function startUpload(store: UploadStore, principal: TokenPrincipal, body: Record<string, unknown>) {
  const total = body.totalBytes;
  if (typeof total !== 'number') throw new ApiError(400, 'invalid_field', 'Declare the archive size: totalBytes, a number of bytes.', 'totalBytes');
  const usage = await store.teamUsage(principal.team.id);
  if (usage.uploads >= TEAM_OPEN_UPLOADS) {
    throw new ApiError(429, 'rate_limited', `Team ${principal.team.name} has ${usage.uploads} unfinished uploads; finish or DELETE one first.`);
  }
  if (usage.declaredBytes + total > TEAM_UPLOAD_SHARE * store.maxBytes) {
    throw new ApiError(413, 'payload_too_large', `Team ${principal.team.name}'s unfinished uploads would hold ${usage.declaredBytes + total} bytes, more than its share (${TEAM_UPLOAD_SHARE * store.maxBytes} bytes); finish or DELETE one first.`, 'totalBytes');
  }
  try {
    return { ...publicState(await store.create(total as number | undefined, { ownerTeamId: principal.team.id })), maxBytes: store.maxBytes };
  } catch (e) {
    asApiError(e);
  }
}

/** Appends a chunk at `Content-Range: bytes START-END/TOTAL` (or `?offset=START`). */
export async function appendChunk(store: UploadStore, id: string, request: Request) {
  const rangeHeader = request.headers.get('content-range');
  const range = parseContentRange(rangeHeader);
  const offsetParam = new URL(request.url).searchParams.get('offset');
  if (rangeHeader && !range) throw new ApiError(400, 'invalid_field', `Content-Range "${rangeHeader.slice(0, 80)}" is not of the form "bytes START-END/TOTAL".`, 'Content-Range');
  if (!range && !(offsetParam && /^\d+$/.test(offsetParam))) {
    throw new ApiError(400, 'invalid_field', 'Say where the chunk starts: a Content-Range header (bytes START-END/TOTAL) or ?offset=START.', 'Content-Range');
  }
  if (!request.body) throw new ApiError(400, 'bad_request', 'The chunk is empty.');
  try {
    const start = range ? range.start : Number(offsetParam);
    const length = range ? range.end - range.start + 1 : null;
    return publicState(await store.append(id, start, request.body as WebReadableStream<Uint8Array>, length, range?.total ?? null));
  } catch (e) {
    asApiError(e);
  }
}

/** Refuses to finish an upload that is not complete yet. */
export function requireComplete(state: UploadState): void {
  if (state.offset === 0) throw new ApiError(409, 'conflict', 'The upload is empty; send the archive first.', undefined, { offset: 0 });
  if (state.totalBytes !== null && state.offset !== state.totalBytes) {
    throw new ApiError(409, 'conflict', `The upload holds ${state.offset} of ${state.totalBytes} bytes; send the rest first.`, undefined, { offset: state.offset });
  }
}

export { publicState };
