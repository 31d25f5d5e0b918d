import type { LoaderFunctionArgs } from '@remix-run/node';
import { data } from '@remix-run/node';
import { RANK_RULE } from '../components/rank-cell';
import { boardCsv, boardJson } from '../utils/board-export';
import { loadBoardViewCached } from '../utils/board-view.server';

/** `/leaderboard/<release>/export/<view>.csv|json`: the page's view with the same numbers, filters and order. */
export async function loader({ context, params, request }: LoaderFunctionArgs) {
  const match = /^([a-z]+)\.(csv|json)$/.exec(params.file ?? '');
  if (!match) throw data(`No export "${params.file}": use <view>.csv or <view>.json.`, { status: 404 });
  const [, view, format] = match;
  const board = await loadBoardViewCached(context.services.db, context.boardEpoch, params.release ?? '', view, new URL(request.url).searchParams);
  const name = `${board.release.slug.replace(/[^A-Za-z0-9._-]+/g, '_')}-${view}`;
  if (format === 'csv') {
    return new Response(boardCsv(board.table), {
      headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${name}.csv"` },
    });
  }
  return Response.json(
    boardJson(board.table, {
      release: board.release,
      policy: board.policy,
      rankRule: RANK_RULE,
      filter: board.query.filter,
      hideBaselines: board.query.hideBaselines,
      sort: { by: board.query.sort, dir: board.query.dir },
      judges: board.judges,
      scorerVersions: board.scorerVersions,
    }),
  );
}
