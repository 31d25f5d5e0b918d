/** The public and team read calls of /api/v1: the same loaders as the pages, so the numbers agree. */
import { listTeamRuns } from '../../db/queries/team-runs';
import { listVisibleReleases, releaseSlug } from '../../db/queries/releases';
import { RANK_RULE } from '../components/rank-cell';
import type { AppServices } from '../services.server';
import { boardJson } from '../utils/board-export';
import { parseFilter } from '../utils/board-table';
import { loadBoardView } from '../utils/board-view.server';
import { loadRunView } from '../utils/run-view.server';
import { runEndpointVerified } from '../teams/endpoint-verification.server';
import { ApiError } from './errors.server';
import { BoardQuery } from './schemas';
import type { TokenPrincipal } from './token-auth.server';

export async function releasesAnswer(services: Pick<AppServices, 'db'>) {
  const rows = await listVisibleReleases(services.db);
  return {
    releases: rows.map((r) => ({
      slug: releaseSlug(r),
      name: r.name,
      version: r.version,
      status: r.status as 'published' | 'deprecated',
      publishedAt: r.publishedAt?.toISOString() ?? null,
      synthetic: r.manifest.synthetic === true,
      contentHash: r.contentHash,
    })),
  };
}

/** The board of a release in one view; the query is checked first so a typo is named, not ignored. */
export async function boardAnswer(services: Pick<AppServices, 'db'>, slug: string, search: URLSearchParams) {
  const parsed = BoardQuery.safeParse(Object.fromEntries(search));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue.path[0] ?? 'query');
    throw new ApiError(400, 'invalid_field', `Query parameter "${field}": ${issue.message}`, field);
  }
  if (parsed.data.filter !== undefined && !parseFilter(parsed.data.filter)) {
    throw new ApiError(400, 'invalid_field', `Query parameter "filter" must be region:…, pathology:… or language:… (got "${parsed.data.filter.slice(0, 60)}").`, 'filter');
  }
  const board = await loadBoardView(services.db, slug, parsed.data.view, search);
  return boardJson(board.table, {
    release: board.release,
    policy: board.policy,
    rankRule: RANK_RULE,
    filter: board.query.filter,
    hideBaselines: board.query.hideBaselines,
    sort: { by: board.query.sort, dir: board.query.dir },
    judges: board.judges,
    scorerVersions: board.scorerVersions,
  });
}

/** A run's status and aggregate results (the run page's data: aggregates only, for either split). */
export async function runAnswer(services: Pick<AppServices, 'db'>, id: string | undefined) {
  if (!/^\d{1,9}$/.test(id ?? '')) throw new ApiError(404, 'not_found', `No run "${String(id).slice(0, 40)}": run ids are whole numbers.`, 'id');
  const run = await loadRunView(services.db, id);
  return { ...run, endpointHostVerified: await runEndpointVerified(services, run.id) };
}

export async function teamRunsAnswer(services: Pick<AppServices, 'db'>, principal: TokenPrincipal) {
  const runs = await listTeamRuns(services.db, principal.team.id);
  return {
    team: { id: principal.team.id, name: principal.team.name },
    runs: runs.map((r) => ({
      runId: r.runId,
      modelName: r.modelName,
      release: r.release,
      split: r.split,
      status: r.status,
      score: r.score,
      createdAt: r.createdAt.toISOString(),
      withdrawn: r.withdrawnAt !== null,
    })),
  };
}
