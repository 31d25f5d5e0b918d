import type { LoaderFunctionArgs } from '@remix-run/node';
import { apiRoute, methodNotAllowed } from '../api/errors.server';
import { boardAnswer } from '../api/read.server';

/** GET /api/v1/releases/:release/board?view=overview|levels|modality|reports: a board view (public, aggregates only). */
export const loader = apiRoute(async ({ context, params, request }: LoaderFunctionArgs) =>
  Response.json(await boardAnswer(context.services, params.release ?? '', new URL(request.url).searchParams)),
);
export const action = methodNotAllowed(['GET']);
