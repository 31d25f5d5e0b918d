import type { LoaderFunctionArgs } from '@remix-run/node';
import { loadLeaderboard } from '../utils/leaderboard-data.server';

/** Public read API: the leaderboard of a release as JSON. */
export async function loader({ context, params }: LoaderFunctionArgs) {
  return Response.json(await loadLeaderboard(context.services.db, params.release ?? ''));
}
