import type { LoaderFunctionArgs } from '@remix-run/node';
import { apiRoute } from '../api/errors.server';
import { leaderboardJson } from '../utils/board-json.server';

/**
 * Public read API: the leaderboard of a release as JSON, encoded once per board epoch and handed to the shared
 * cache in front of Remix (server/web/board-page-cache.ts); errors in the API's JSON shape.
 */
export const loader = apiRoute(async ({ context, params }: LoaderFunctionArgs) => {
  const body = await leaderboardJson(context.services.db, context.boardEpoch, params.release ?? '');
  const headers: Array<[string, string]> = [['Content-Type', 'application/json']];
  context.boardPageCapture?.store(body, headers);
  return new Response(body, { headers: [...headers, ['Content-Length', String(body.byteLength)]] });
});
