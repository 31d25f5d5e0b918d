import type { Database } from '../db/client';
import { listBoardRuns, loadBoardItemScores, setBoardRanks } from '../db/queries/leaderboard';
import { rankModels, type RankableScore } from '../evaluator/scoring';

/**
 * Re-ranks one board (release + split): each counted run gets its rank and simultaneous 95% rank interval from a
 * paired bootstrap over the items every counted run shares (evaluator/scoring/ranking.ts). Only runs whose reports
 * were scored like the board's newest run are ranked; the others are stale (rank cleared) until re-scored, so rows
 * of different judges are never ranked together (docs/decisions/131). Runs after every published or re-scored run.
 */
export async function rankBoard(db: Database, releaseId: number, split: 'dev' | 'test'): Promise<void> {
  const runs = await listBoardRuns(db, releaseId, split);
  if (runs.length === 0) return;
  const current = runs[0].scoring;
  const counted = runs.filter((r) => r.scoring === current).map((r) => r.runId);
  const stale = runs.filter((r) => r.scoring !== current).map((r) => ({ runId: r.runId, rank: null, rankLow: null, rankHigh: null }));
  // A board of one has nothing to be compared with: skip loading its item scores.
  if (counted.length === 1) return setBoardRanks(db, [{ runId: counted[0], rank: 1, rankLow: 1, rankHigh: 1 }, ...stale]);
  const board = await loadBoardItemScores(db, counted);
  const ranked = rankModels(board.map((b) => ({ id: String(b.runId), items: b.scores as RankableScore[] })));
  await setBoardRanks(db, [...ranked.map((r) => ({ runId: Number(r.id), rank: r.rank, rankLow: r.rankLow, rankHigh: r.rankHigh })), ...stale]);
}
