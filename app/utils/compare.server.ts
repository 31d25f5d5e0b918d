import type { Database } from '../../db/client';
import { loadCompareItemScores, type CompareItemRow } from '../../db/queries/leaderboard';
import { findReleaseBySlug, listVisibleReleases, releaseSlug } from '../../db/queries/releases';
import type { Modality } from '../../benchmark/item-schema';
import { itemValue } from '../../evaluator/scoring/aggregate';
import { compareModels, type CompareItem, type CompareRow } from '../../evaluator/scoring/compare-models';
import type { LevelErrorClass } from '../../evaluator/scoring/level-score';
import { currentRelease } from './board-summaries.server';
import { loadLeaderboard } from './leaderboard-data.server';
import { refusal } from './refusal';
import { MAX_COMPARED } from '../../evaluator/scoring/compare-models';



/** `models=3,7` (or repeated `models=`): distinct positive ids in the order given. */
export function parseModelIds(params: URLSearchParams): number[] {
  const ids = params.getAll('models').flatMap((v) => v.split(',')).map((v) => Number(v.trim()));
  return [...new Set(ids.filter((n) => Number.isInteger(n) && n > 0))];
}

/** How a run's reports were scored, for pairing only runs scored alike (docs/decisions/131). */
function reportScoring(rows: CompareItemRow[]): string {
  const judged = rows.find((r) => r.task === 'report' && r.method === 'judge' && r.judgeConfig);
  if (judged) return `judge:${judged.judgeConfig}`;
  return rows.some((r) => r.task === 'report') ? 'deterministic' : 'none';
}

function toCompareItems(rows: CompareItemRow[], dropReports: boolean): CompareItem[] {
  const method = rows.some((r) => r.task === 'report' && r.method === 'judge') ? 'judge' : rows.some((r) => r.task === 'report') ? 'deterministic' : null;
  return rows
    .filter((r) => typeof r.itemId === 'string')
    .map((r) => ({
      itemId: r.itemId,
      part: r.part,
      facets: { skill: r.skill as CompareItem['facets']['skill'], modalities: (r.modalities ?? []) as Modality[], region: r.region as CompareItem['facets']['region'] },
      value: dropReports && r.task === 'report' ? null : itemValue(r.task === 'mcq' ? { task: 'mcq', score: (r.score ?? 0) as 0 | 1, noOutput: r.noOutput } : { task: 'report', score: r.score, noOutput: r.noOutput, method: r.method ?? 'deterministic' }, method),
      levelClass: (r.levelClass ?? null) as LevelErrorClass | null,
    }));
}

// Comparisons of the same runs give the same numbers until a run is re-scored (its scorer version changes):
// keep the last few, so a shared link opened by many does not bootstrap again each time.
const cache = new Map<string, { rows: CompareRow[]; reportsLeftOut: boolean }>();
const CACHE_SIZE = 64;

/**
 * The compare page: 2–4 models of one release's board, each by its counted run (the board's latest), side by
 * side with paired differences. Item scores are read and bootstrapped here; only aggregates leave.
 */
export async function loadComparison(db: Database, params: URLSearchParams) {
  const slugParam = params.get('release');
  const releases = await listVisibleReleases(db);
  const release = slugParam ? await findReleaseBySlug(db, slugParam) : currentRelease(releases);
  if (!release || release.status === 'draft') throw refusal(404, slugParam ? `No published release "${slugParam}".` : 'No release is published yet.');
  const board = await loadLeaderboard(db, releaseSlug(release));
  const candidates = board.rows.map((r) => ({ modelId: r.modelId, model: r.modelName, team: r.teamName, baseline: r.isBaseline, runId: r.runId, stale: r.stale, scorerVersion: r.scorerVersion }));
  const wanted = parseModelIds(params);
  const problems: string[] = [];
  if (wanted.length > MAX_COMPARED) problems.push(`Compare at most ${MAX_COMPARED} models at a time; the first ${MAX_COMPARED} are shown.`);
  const chosen = wanted.slice(0, MAX_COMPARED).flatMap((id) => {
    const c = candidates.find((x) => x.modelId === id);
    if (!c) problems.push(`Model #${id} is not on the ${board.release.name} ${board.release.version} board.`);
    return c ? [c] : [];
  });
  const base = {
    release: board.release,
    releases: releases.map((r) => ({ slug: releaseSlug(r), label: `${r.name} ${r.version}` })),
    candidates,
    chosen,
    problems,
  };
  if (chosen.length < 2) return { ...base, rows: null, reportsLeftOut: false };

  const key = chosen.map((c) => `${c.runId}@${c.scorerVersion}`).join(',');
  let result = cache.get(key);
  if (!result) {
    const scores = await loadCompareItemScores(db, chosen.map((c) => c.runId));
    // Reports scored by different judges (or one by the check alone) are not on one scale: pair MCQs only.
    const reportsLeftOut = new Set(chosen.map((c) => reportScoring(scores.get(c.runId)!))).size > 1;
    const rows = compareModels(chosen.map((c) => ({ id: String(c.modelId), items: toCompareItems(scores.get(c.runId)!, reportsLeftOut) })));
    result = { rows, reportsLeftOut };
    cache.set(key, result);
    if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  }
  return { ...base, ...result };
}

export type ComparisonData = Awaited<ReturnType<typeof loadComparison>>;
