/** The reads the Ladder needs at publish time (workers/publish-run-score.ts). */
import { and, desc, eq, inArray, ne } from 'drizzle-orm';
import type { Database } from '../client';
import { itemResults, leaderboardRows, models } from '../schema';

/** The team's best released hidden-split row on a release, other than `runId`'s own. */
export async function bestReleasedTeamRun(db: Database, teamId: number, releaseId: number, runId: number) {
  const [row] = await db
    .select({ runId: leaderboardRows.runId, score: leaderboardRows.score })
    .from(leaderboardRows)
    .innerJoin(models, eq(models.id, leaderboardRows.modelId))
    .where(
      and(
        eq(models.teamId, teamId),
        eq(leaderboardRows.releaseId, releaseId),
        eq(leaderboardRows.split, 'test'),
        eq(leaderboardRows.released, true),
        ne(leaderboardRows.runId, runId),
      ),
    )
    .orderBy(desc(leaderboardRows.score), leaderboardRows.runId)
    .limit(1);
  return row;
}

/** Per-item scores of two runs paired by item (an item missing or errored in one run counts 0 there). */
export async function pairedItemScores(db: Database, runId: number, otherRunId: number): Promise<{ run: number[]; other: number[] }> {
  const rows = await db
    .select({ runId: itemResults.runId, itemId: itemResults.itemId, score: itemResults.score })
    .from(itemResults)
    .where(inArray(itemResults.runId, [runId, otherRunId]));
  const byItem = new Map<number, [number, number]>();
  for (const r of rows) {
    const pair = byItem.get(r.itemId) ?? [0, 0];
    pair[r.runId === runId ? 0 : 1] = r.score ?? 0;
    byItem.set(r.itemId, pair);
  }
  const pairs = [...byItem.entries()].sort((a, b) => a[0] - b[0]).map(([, p]) => p);
  return { run: pairs.map((p) => p[0]), other: pairs.map((p) => p[1]) };
}
