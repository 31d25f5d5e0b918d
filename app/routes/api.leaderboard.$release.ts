import type { LoaderFunctionArgs } from '@remix-run/node';
import { apiRoute } from '../api/errors.server';
import { loadLeaderboard } from '../utils/leaderboard-data.server';

/** Public read API: the leaderboard of a release as JSON; errors in the API's JSON shape. */
export const loader = apiRoute(async ({ context, params }: LoaderFunctionArgs) =>
  Response.json(await loadLeaderboard(context.services.db, params.release ?? '')),
);
