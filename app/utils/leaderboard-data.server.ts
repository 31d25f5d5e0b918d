import { refusal } from './refusal';
import type { Database } from '../../db/client';
import { getLeaderboard } from '../../db/queries/leaderboard';
import { countHiddenRuns } from '../../db/queries/moderation';
import { findReleaseBySlug, releaseSlug } from '../../db/queries/releases';
import { countReleaseItems } from '../../db/queries/releases';

export const BOARD_POLICY = 'Each model is ranked by its latest completed run on the hidden test split. Baselines are labelled.';

/** The public leaderboard of a release: aggregate scores only. Shared by the page and the JSON API. */
export async function loadLeaderboard(db: Database, slug: string) {
  return (await loadLeaderboardOfRelease(db, slug)).board;
}

/** The leaderboard and the release's own row (its id is for the server's further queries, not for answers). */
export async function loadLeaderboardOfRelease(db: Database, slug: string) {
  const release = await findReleaseBySlug(db, slug);
  if (!release || release.status === 'draft') throw refusal(404, `No published release "${slug}".`);
  return { releaseRow: release, board: await boardOf(db, release) };
}

async function boardOf(db: Database, release: NonNullable<Awaited<ReturnType<typeof findReleaseBySlug>>>) {
  return {
    release: {
      slug: releaseSlug(release),
      name: release.name,
      version: release.version,
      status: release.status,
      contentHash: release.contentHash,
      synthetic: release.manifest.synthetic === true,
      testItems: (await countReleaseItems(db, release.id)).test,
    },
    policy: BOARD_POLICY,
    rows: await getLeaderboard(db, release.id, 'test'),
    /** Runs maintainers hid from this board (kept, and in the audit log). */
    hiddenRuns: await countHiddenRuns(db, release.id, 'test'),
  };
}
