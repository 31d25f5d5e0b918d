import type { LoaderFunctionArgs } from '@remix-run/node';
import { apiErrorResponse, ApiError } from '../api/errors.server';

/** Anything else under /api/v1: a JSON 404 that points at the document listing what exists. */
async function notFound({ request }: LoaderFunctionArgs) {
  const path = new URL(request.url).pathname;
  return apiErrorResponse(new ApiError(404, 'not_found', `No API call ${request.method} ${path.slice(0, 120)}; see /api/v1/openapi.json for the list.`));
}
export const loader = notFound;
export const action = notFound;
