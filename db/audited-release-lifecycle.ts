import type { Database } from './client';
import { recordAudit } from './queries/audit';
import { deprecateRelease, getRelease, publishRelease, type ReleaseRow } from './queries/releases';

/**
 * Publishes or deprecates a release and records it in the audit log, in one transaction: the change and its
 * record land together or not at all. Repeating a change that is already in effect records nothing.
 */
export async function changeReleaseStatusAudited(
  db: Database,
  input: { releaseId: number; intent: 'publish' | 'deprecate'; actor: string; reason?: string | null },
): Promise<ReleaseRow> {
  return db.transaction(async (tx) => {
    // The release lifecycle functions take the database; a transaction offers the same query builder.
    const t = tx as unknown as Database;
    const before = await getRelease(t, input.releaseId);
    const row = input.intent === 'publish' ? await publishRelease(t, input.releaseId) : await deprecateRelease(t, input.releaseId);
    if (before && before.status !== row.status) {
      await recordAudit(tx, {
        actor: input.actor,
        action: input.intent === 'publish' ? 'release.publish' : 'release.deprecate',
        subject: `release:${row.name}@${row.version}`,
        reason: input.reason,
        details: { from: before.status, to: row.status, contentHash: row.contentHash },
      });
    }
    return row;
  });
}
