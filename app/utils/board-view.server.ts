import { data } from '@remix-run/node';
import type { Database } from '../../db/client';
import { FILTER_FACETS } from '../../evaluator/scoring/board-views';
import { buildBoardTable, parseBoardQuery } from './board-table';
import { loadLeaderboardOfRelease } from './leaderboard-data.server';
import { calibrationForBoard } from './judge-calibration-view.server';
import { mcqChance } from './mcq-chance.server';

/** A release board in one view, as the page and its CSV/JSON exports show it (stored rows only, never item results). */
export async function loadBoardView(db: Database, slug: string, view: string | undefined, params: URLSearchParams) {
  const query = parseBoardQuery(view, params);
  if (!query) throw data(`No board view "${view}". Views: overview, levels, modality, reports.`, { status: 404 });
  const { board, releaseRow } = await loadLeaderboardOfRelease(db, slug);
  const table = buildBoardTable(board.rows, query);
  // The facet values any counted row has a precomputed slice for: the filter menu offers exactly these.
  const filterOptions = Object.fromEntries(
    FILTER_FACETS.map((f) => [f, [...new Set(board.rows.flatMap((r) => Object.keys(r.views?.filters[f] ?? {})))].sort()]),
  ) as Record<(typeof FILTER_FACETS)[number], string[]>;
  const judges = [...new Map(board.rows.flatMap((r) => (r.judge ? [[`${r.judge.model}@${r.judge.modelVersion}`, r.judge]] : []))).values()];
  // Who scored the ranked rows' reports (app/components/judge-identity.tsx); stale rows are another judge's.
  const current = board.rows.find((r) => !r.stale) ?? board.rows[0] ?? null;
  const reportScoring = current ? { reportMethod: current.reportMethod, judge: current.judge } : null;
  return {
    release: board.release,
    policy: board.policy,
    query,
    table,
    filterOptions,
    judges,
    reportScoring,
    /** Judge–clinician agreement beside the judge's name, on the reports view only (aggregates, never items). */
    calibration: query.view === 'reports' ? await calibrationForBoard(db, releaseRow.id, reportScoring) : null,
    staleRows: board.rows.filter((r) => r.stale).length,
    reportMethods: [...new Set(board.rows.map((r) => r.reportMethod).filter((m) => m !== null))],
    scorerVersions: [...new Set(board.rows.map((r) => r.scorerVersion))],
    hiddenRuns: board.hiddenRuns,
    /** Where MCQ scores would sit by guessing: the overview chart's reference line. */
    chance: await mcqChance(db, releaseRow),
  };
}

export type BoardViewData = Awaited<ReturnType<typeof loadBoardView>>;

// Board views keyed by the board epoch: while it stands, the same URL shows the same rows, so repeated requests skip
// the database and the table build (docs/decisions/262-board-etags.md). Bounded, oldest out first.
const views = new Map<string, Promise<BoardViewData>>();
const MAX_CACHED_VIEWS = 256;

/** loadBoardView through the epoch-keyed cache; without an epoch (not a board path) it loads afresh. */
export function loadBoardViewCached(db: Database, epoch: number | undefined, slug: string, view: string | undefined, params: URLSearchParams) {
  if (epoch === undefined) return loadBoardView(db, slug, view, params);
  const sorted = new URLSearchParams([...params.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const key = `${epoch}\n${slug}\n${view ?? ''}\n${sorted}`;
  let hit = views.get(key);
  if (!hit) {
    hit = loadBoardView(db, slug, view, params);
    // A refusal (404) is not kept: the release may be published a moment later (which moves the epoch anyway).
    hit.catch(() => views.delete(key));
    views.set(key, hit);
    if (views.size > MAX_CACHED_VIEWS) views.delete(views.keys().next().value!);
  }
  return hit;
}
