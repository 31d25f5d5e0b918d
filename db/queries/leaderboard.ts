import { and, desc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Database } from '../client';
import type { BoardViews } from '../../evaluator/scoring/board-views';
import type { LevelSummary } from '../../evaluator/scoring/level-score';
import { evaluationRuns, itemResults, leaderboardRows, models, runModeration, teams } from '../schema';
import type { PublicModeration } from './moderation';

export type NewLeaderboardRow = typeof leaderboardRows.$inferInsert;

export async function insertLeaderboardRow(db: Database, row: NewLeaderboardRow) {
  await db.insert(leaderboardRows).values(row).onConflictDoUpdate({
    target: leaderboardRows.runId,
    set: { score: row.score, nItems: row.nItems, breakdown: row.breakdown, views: row.views, scorerVersion: row.scorerVersion, released: row.released, ladder: row.ladder },
  });
}

/** [low, high] of a 95% bootstrap interval. */
type Interval = [low: number, high: number];
interface ScoreWithInterval {
  score: number;
  n: number;
  ci: Interval;
}
/** The part of a stored aggregate (workers/publish-run-score.ts) the board shows. */
interface StoredAggregate {
  overall: ScoreWithInterval | null;
  parts: Record<'text_mcq' | 'image_mcq' | 'report', ScoreWithInterval | null>;
  reportMethod: 'judge' | 'deterministic' | null;
  judge: { model: string; modelVersion: string; configVersion?: string; promptVersion?: string } | null;
  reportDeterministic?: ScoreWithInterval | null;
  levels?: LevelSummary;
}

/**
 * How a stored row's reports were scored: `judge:<config version>`, `deterministic` or `none`. Rows scored
 * differently are never ranked together (docs/decisions/131).
 */
export function reportScoringOf(agg: Pick<StoredAggregate, 'reportMethod' | 'judge'>): string {
  if (agg.reportMethod === 'judge') return `judge:${agg.judge?.configVersion ?? `${agg.judge?.model}@${agg.judge?.modelVersion}`}`;
  return agg.reportMethod ?? 'none';
}

export interface LeaderboardEntry {
  /** 1 + models with a higher score; null when the row is stale or not ranked yet (app/components/rank-cell.tsx). */
  rank: number | null;
  /** Simultaneous 95% rank interval (docs/decisions/130); null with rank. */
  rankLow: number | null;
  rankHigh: number | null;
  /**
   * Scored by another report scorer or judge than the board's newest row (a judge change): not ranked with the
   * others, shown as stale until re-scored (docs/decisions/131).
   */
  stale: boolean;
  runId: number;
  modelId: number;
  modelName: string;
  teamName: string;
  isBaseline: boolean;
  /** `platform`: an ONNX artifact the platform ran itself (confirmed); `self-hosted`: an endpoint (provisional). */
  runBy: 'platform' | 'self-hosted';
  /** From the model card: parameters in billions, open or closed weights (null when the card does not say). */
  parametersB: number | null;
  weights: 'open' | 'closed' | null;
  /** Overall score 0..100 with its 95% bootstrap interval. */
  score: number;
  ci: Interval | null;
  parts: StoredAggregate['parts'];
  reportMethod: StoredAggregate['reportMethod'];
  /** The judge of the row's reports; promptVersion is null on rows judged before it was recorded. */
  judge: { model: string; modelVersion: string; promptVersion: string | null } | null;
  nItems: number;
  evaluatedAt: string;
  scorerVersion: string;
  /** Per-skill views (evaluator/scoring/board-views.ts); null for rows published before they existed. */
  views: BoardViews | null;
  /** Stored aggregate extras the boards show beside the parts. */
  reportDeterministic: ScoreWithInterval | null;
  levels: LevelSummary | null;
  /** Maintainers' verified badge and public flag reason (app/components/moderation-badge.tsx renders them). */
  moderation: PublicModeration;
}

/**
 * The runs that count on a board: the latest evaluated run of each model (the board's stated policy), leaving
 * out runs their team withdrew (they stay on record and on the model's page) and runs maintainers hid (the
 * board states how many are hidden: db/queries/moderation.ts).
 */
async function latestRowsPerModel(db: Database, releaseId: number, split: 'dev' | 'test') {
  const rows = await db
    .select({
      runId: leaderboardRows.runId,
      modelId: leaderboardRows.modelId,
      modelName: models.name,
      teamName: teams.name,
      isBaseline: models.isBaseline,
      modelKind: models.kind,
      parametersB: models.parametersB,
      weights: models.weights,
      score: leaderboardRows.score,
      rank: leaderboardRows.rank,
      rankLow: leaderboardRows.rankLow,
      rankHigh: leaderboardRows.rankHigh,
      breakdown: leaderboardRows.breakdown,
      views: leaderboardRows.views,
      nItems: leaderboardRows.nItems,
      createdAt: leaderboardRows.createdAt,
      scorerVersion: leaderboardRows.scorerVersion,
      verified: runModeration.verified,
      flagReason: runModeration.flagReason,
    })
    .from(leaderboardRows)
    .innerJoin(models, eq(models.id, leaderboardRows.modelId))
    .innerJoin(teams, eq(teams.id, models.teamId))
    .innerJoin(evaluationRuns, eq(evaluationRuns.id, leaderboardRows.runId))
    .leftJoin(runModeration, eq(runModeration.runId, leaderboardRows.runId))
    .where(
      and(
        eq(leaderboardRows.releaseId, releaseId),
        eq(leaderboardRows.split, split),
        eq(leaderboardRows.released, true),
        isNull(evaluationRuns.withdrawnAt),
        or(isNull(runModeration.hidden), eq(runModeration.hidden, false)),
      ),
    )
    .orderBy(desc(leaderboardRows.createdAt), desc(leaderboardRows.runId));
  const latest = new Map<number, (typeof rows)[number]>();
  for (const r of rows) if (!latest.has(r.modelId)) latest.set(r.modelId, r);
  return [...latest.values()];
}

export async function getLeaderboard(db: Database, releaseId: number, split: 'dev' | 'test'): Promise<LeaderboardEntry[]> {
  const rows = await latestRowsPerModel(db, releaseId, split);
  // The newest row carries the current scorer and judge; rows scored otherwise are stale, never ranked with it.
  const current = rows.length > 0 ? reportScoringOf(rows[0].breakdown as StoredAggregate) : null;
  return rows
    .map((r) => {
      const agg = r.breakdown as StoredAggregate;
      const stale = reportScoringOf(agg) !== current;
      return {
        rank: stale ? null : r.rank,
        rankLow: stale ? null : r.rankLow,
        rankHigh: stale ? null : r.rankHigh,
        stale,
        runId: r.runId,
        modelId: r.modelId,
        modelName: r.modelName,
        teamName: r.teamName,
        isBaseline: r.isBaseline,
        // Baselines are served by the platform itself, so nobody outside saw the questions either.
        runBy: r.modelKind === 'onnx' || r.isBaseline ? ('platform' as const) : ('self-hosted' as const),
        parametersB: r.parametersB,
        weights: r.weights,
        score: r.score,
        ci: agg.overall?.ci ?? null,
        parts: agg.parts,
        reportMethod: agg.reportMethod,
        judge: agg.judge ? { model: agg.judge.model, modelVersion: agg.judge.modelVersion, promptVersion: agg.judge.promptVersion ?? null } : null,
        nItems: r.nItems,
        evaluatedAt: r.createdAt.toISOString(),
        scorerVersion: r.scorerVersion,
        views: (r.views as BoardViews | null) ?? null,
        reportDeterministic: agg.reportDeterministic ?? null,
        levels: agg.levels ?? null,
        moderation: { verified: r.verified ?? false, flagReason: r.flagReason ?? null },
      };
    })
    .sort((a, b) => Number(a.stale) - Number(b.stale) || (a.rank ?? Infinity) - (b.rank ?? Infinity) || b.score - a.score);
}

/** The runs counted on a board (each model's latest), newest first, with how their reports were scored. */
export async function listBoardRuns(db: Database, releaseId: number, split: 'dev' | 'test'): Promise<Array<{ runId: number; scoring: string }>> {
  return (await latestRowsPerModel(db, releaseId, split)).map((r) => ({ runId: r.runId, scoring: reportScoringOf(r.breakdown as StoredAggregate) }));
}

/** The runs counted on a board (each model's latest), without their item scores. */
export async function listBoardRunIds(db: Database, releaseId: number, split: 'dev' | 'test'): Promise<number[]> {
  return (await latestRowsPerModel(db, releaseId, split)).map((r) => r.runId);
}

/**
 * The fields ranking reads of each item score (evaluator/scoring/ranking.ts, RankableScore), cut out in SQL:
 * a board re-ranks at every publish, and reading every model's whole scores grew with the board.
 */
const rankableDetail = sql<unknown>`jsonb_build_object(
  'itemId', ${itemResults.detail}->'itemId', 'part', ${itemResults.detail}->'part', 'task', ${itemResults.detail}->'task',
  'score', ${itemResults.detail}->'score', 'noOutput', ${itemResults.detail}->'noOutput', 'method', ${itemResults.detail}->'method',
  'judge', case when jsonb_typeof(${itemResults.detail}->'judge') = 'object'
    then jsonb_build_object('judge', ${itemResults.detail}->'judge'->'judge') else 'null'::jsonb end)`;

/** The ranking fields of the item scores of `runIds` (a board's counted runs): the paired bootstrap's input. */
export async function loadBoardItemScores(db: Database, runIds: number[]) {
  if (runIds.length === 0) return [];
  const results = await db
    .select({ runId: itemResults.runId, detail: rankableDetail })
    .from(itemResults)
    .where(inArray(itemResults.runId, runIds));
  const byRun = new Map<number, unknown[]>(runIds.map((id) => [id, []]));
  for (const x of results) byRun.get(x.runId)!.push(x.detail);
  return runIds.map((runId) => ({ runId, scores: byRun.get(runId)! }));
}

/** The fields the compare page reads of each item score (evaluator/scoring/compare-models.ts), cut out in SQL. */
const compareDetail = sql<unknown>`jsonb_build_object(
  'itemId', ${itemResults.detail}->'itemId', 'part', ${itemResults.detail}->'part', 'task', ${itemResults.detail}->'task',
  'score', ${itemResults.detail}->'score', 'noOutput', ${itemResults.detail}->'noOutput', 'method', ${itemResults.detail}->'method',
  'judgeConfig', ${itemResults.detail}->'judge'->'judge'->'configVersion',
  'skill', ${itemResults.detail}->'facets'->'skill', 'modalities', ${itemResults.detail}->'facets'->'modalities',
  'region', ${itemResults.detail}->'facets'->'region', 'levelClass', ${itemResults.detail}->'detail'->'levels'->'errorClass')`;

export interface CompareItemRow {
  itemId: string;
  part: 'text_mcq' | 'image_mcq' | 'report';
  task: 'mcq' | 'report';
  score: number | null;
  noOutput: boolean;
  method?: 'judge' | 'deterministic';
  judgeConfig: string | null;
  skill: string;
  modalities: string[];
  region: string;
  levelClass: string | null;
}

/** Item scores of `runIds` as the compare page needs them (server side only: never sent to a page). */
export async function loadCompareItemScores(db: Database, runIds: number[]): Promise<Map<number, CompareItemRow[]>> {
  const byRun = new Map<number, CompareItemRow[]>(runIds.map((id) => [id, []]));
  if (runIds.length === 0) return byRun;
  const results = await db.select({ runId: itemResults.runId, detail: compareDetail }).from(itemResults).where(inArray(itemResults.runId, runIds));
  for (const x of results) byRun.get(x.runId)!.push(x.detail as CompareItemRow);
  return byRun;
}

export interface BoardRank {
  runId: number;
  /** null clears the rank of a stale row. */
  rank: number | null;
  rankLow: number | null;
  rankHigh: number | null;
}

export async function setBoardRanks(db: Database, ranks: BoardRank[]) {
  await db.transaction(async (tx) => {
    for (const r of ranks) {
      await tx.update(leaderboardRows).set({ rank: r.rank, rankLow: r.rankLow, rankHigh: r.rankHigh }).where(eq(leaderboardRows.runId, r.runId));
    }
  });
}

export async function getLeaderboardRowForRun(db: Database, runId: number) {
  const [row] = await db.select().from(leaderboardRows).where(eq(leaderboardRows.runId, runId));
  return row;
}
