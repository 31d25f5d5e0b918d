import type { LoaderFunctionArgs } from '@remix-run/node';
import { apiRoute } from '../api/errors.server';
import { loadRunView } from '../utils/run-view.server';

/** Public read API: a run's status, progress, typed error and score; errors in the API's JSON shape. */
export const loader = apiRoute(async ({ context, params }: LoaderFunctionArgs) =>
  Response.json(await loadRunView(context.services.db, params.id)),
);
