import { apiRoute, methodNotAllowed } from '../api/errors.server';
import { openApiDocument } from '../api/openapi';

/** GET /api/v1/openapi.json: the OpenAPI 3 document generated from the API's zod schemas. */
export const loader = apiRoute(async () => Response.json(openApiDocument(), { headers: { 'cache-control': 'public, max-age=300' } }));
export const action = methodNotAllowed(['GET']);
