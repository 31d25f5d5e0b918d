import { and, countDistinct, eq } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { getLeaderboard } from '../../db/queries/leaderboard';
import { listVisibleReleases, releaseSlug } from '../../db/queries/releases';
import { countReleaseItems } from '../../db/queries/releases';
import { leaderboardRows } from '../../db/schema';
import type { ReleaseManifest } from '../../benchmark/release/manifest-schema';

type ReleaseRow = Awaited<ReturnType<typeof listVisibleReleases>>[number];

/** The current board: the most recently published release that is not deprecated (else the newest visible one). */
export function currentRelease<R extends Pick<ReleaseRow, 'status' | 'publishedAt' | 'createdAt'>>(releases: readonly R[]): R | null {
  const when = (r: R) => (r.publishedAt ?? r.createdAt).getTime();
  const newest = (list: readonly R[]) => list.reduce<R | null>((best, r) => (!best || when(r) > when(best) ? r : best), null);
  return newest(releases.filter((r) => r.status === 'published')) ?? newest(releases);
}

/** Every visible release's board in a line: for /leaderboard. Counts only, never scores of items. */
export async function listBoardSummaries(db: Database) {
  const releases = await listVisibleReleases(db);
  const current = currentRelease(releases);
  const summaries = await Promise.all(
    releases.map(async (r) => {
      const [{ models }] = await db
        .select({ models: countDistinct(leaderboardRows.modelId) })
        .from(leaderboardRows)
        .where(and(eq(leaderboardRows.releaseId, r.id), eq(leaderboardRows.split, 'test')));
      return {
        slug: releaseSlug(r),
        name: r.name,
        version: r.version,
        status: r.status,
        synthetic: (r.manifest as ReleaseManifest).synthetic === true,
        current: r === current,
        models: Number(models),
        testItems: (await countReleaseItems(db, r.id)).test,
      };
    }),
  );
  return summaries.sort((a, b) => Number(b.current) - Number(a.current));
}

/** The top `limit` ranked rows of the current board, for the home page (stored rows only). */
export async function currentBoardTop(db: Database, limit: number) {
  const release = currentRelease(await listVisibleReleases(db));
  if (!release) return null;
  const rows = await getLeaderboard(db, release.id, 'test');
  return {
    slug: releaseSlug(release),
    name: release.name,
    version: release.version,
    synthetic: (release.manifest as ReleaseManifest).synthetic === true,
    testItems: (await countReleaseItems(db, release.id)).test,
    models: rows.length,
    top: rows
      .filter((r) => !r.stale)
      .slice(0, limit)
      .map((r) => ({ rank: r.rank, rankLow: r.rankLow, rankHigh: r.rankHigh, modelId: r.modelId, model: r.modelName, team: r.teamName, baseline: r.isBaseline, score: r.score, ci: r.ci })),
  };
}
