import { and, desc, eq } from 'drizzle-orm';
import type { Database } from '../client';
import { leaderboardRows, models, teams } from '../schema';

export type NewLeaderboardRow = typeof leaderboardRows.$inferInsert;

export async function insertLeaderboardRow(db: Database, row: NewLeaderboardRow) {
  await db.insert(leaderboardRows).values(row).onConflictDoUpdate({
    target: leaderboardRows.runId,
    set: { score: row.score, nItems: row.nItems, breakdown: row.breakdown, scorerVersion: row.scorerVersion },
  });
}

export interface LeaderboardEntry {
  rank: number;
  runId: number;
  modelName: string;
  teamName: string;
  isBaseline: boolean;
  /** `platform`: an ONNX artifact the platform ran itself (confirmed); `self-hosted`: an endpoint (provisional). */
  runBy: 'platform' | 'self-hosted';
  score: number;
  nItems: number;
  evaluatedAt: string;
  scorerVersion: string;
}

/** Board policy: the latest evaluated run of each model counts; ranks follow the score. */
export async function getLeaderboard(db: Database, releaseId: number, split: 'dev' | 'test'): Promise<LeaderboardEntry[]> {
  const rows = await db
    .select({
      runId: leaderboardRows.runId,
      modelId: leaderboardRows.modelId,
      modelName: models.name,
      teamName: teams.name,
      isBaseline: models.isBaseline,
      modelKind: models.kind,
      score: leaderboardRows.score,
      nItems: leaderboardRows.nItems,
      createdAt: leaderboardRows.createdAt,
      scorerVersion: leaderboardRows.scorerVersion,
    })
    .from(leaderboardRows)
    .innerJoin(models, eq(models.id, leaderboardRows.modelId))
    .innerJoin(teams, eq(teams.id, models.teamId))
    .where(and(eq(leaderboardRows.releaseId, releaseId), eq(leaderboardRows.split, split)))
    .orderBy(desc(leaderboardRows.createdAt), desc(leaderboardRows.runId));
  const latestPerModel = new Map<number, (typeof rows)[number]>();
  for (const r of rows) if (!latestPerModel.has(r.modelId)) latestPerModel.set(r.modelId, r);
  const sorted = [...latestPerModel.values()].sort((a, b) => b.score - a.score);
  const entries: LeaderboardEntry[] = [];
  sorted.forEach((r, i) => {
    // Equal scores share a rank (competition ranking: 1, 2, 2, 4).
    const rank = i > 0 && sorted[i - 1].score === r.score ? entries[i - 1].rank : i + 1;
    entries.push({
      rank,
      runId: r.runId,
      modelName: r.modelName,
      teamName: r.teamName,
      isBaseline: r.isBaseline,
      runBy: r.modelKind === 'onnx' ? 'platform' : 'self-hosted',
      score: r.score,
      nItems: r.nItems,
      evaluatedAt: r.createdAt.toISOString(),
      scorerVersion: r.scorerVersion,
    });
  });
  return entries;
}

export async function getLeaderboardRowForRun(db: Database, runId: number) {
  const [row] = await db.select().from(leaderboardRows).where(eq(leaderboardRows.runId, runId));
  return row;
}
