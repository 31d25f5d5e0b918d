import type { Database } from '../db/client';
import { loadBoardItemScores, setBoardRanks } from '../db/queries/leaderboard';
import { rankModels, type ItemScore } from '../evaluator/scoring';

/**
 * Re-ranks one board (release + split) with a paired bootstrap over the items every counted run shares:
 * models whose difference is not significant share a rank. Runs after every published or re-scored run.
 */
export async function rankBoard(db: Database, releaseId: number, split: 'dev' | 'test'): Promise<void> {
  const board = await loadBoardItemScores(db, releaseId, split);
  if (board.length === 0) return;
  const ranked = rankModels(board.map((b) => ({ id: String(b.runId), items: b.scores as ItemScore[] })));
  await setBoardRanks(db, ranked.map((r) => ({ runId: Number(r.id), rank: r.rank })));
}
