import type { Database } from '../db/client';
import { listBoardRunIds, loadBoardItemScores, setBoardRanks } from '../db/queries/leaderboard';
import { rankModels, type RankableScore } from '../evaluator/scoring';

/**
 * Re-ranks one board (release + split) with a paired bootstrap over the items every counted run shares:
 * models whose difference is not significant share a rank. Runs after every published or re-scored run.
 */
export async function rankBoard(db: Database, releaseId: number, split: 'dev' | 'test'): Promise<void> {
  const runIds = await listBoardRunIds(db, releaseId, split);
  if (runIds.length === 0) return;
  // A board of one has nothing to be compared with: skip loading its item scores.
  if (runIds.length === 1) return setBoardRanks(db, [{ runId: runIds[0], rank: 1 }]);
  const board = await loadBoardItemScores(db, runIds);
  const ranked = rankModels(board.map((b) => ({ id: String(b.runId), items: b.scores as RankableScore[] })));
  await setBoardRanks(db, ranked.map((r) => ({ runId: Number(r.id), rank: r.rank })));
}
