import type { Database } from '../../db/client';
import { accountTestRunsToday, countRecentTeamRuns, teamTestRunQuota } from '../../db/queries/quota';

export interface SubmissionLimits {
  /** Hidden-split runs per team per UTC day, and per account across all its teams. */
  dailyTestRuns: number;
  /** Free dev-split sanity runs per team per rolling hour. */
  devRunsPerHour: number;
}

/** Who submits: a registered team, and the account acting for it (null for the platform's own runs). */
export interface SubmissionActor {
  teamId: number;
  userId: string | null;
}

/**
 * Why a submission may not start now, or null when it may: a hidden-split run needs quota left today, for the
 * team and for the account (one person in many teams does not multiply their runs); dev-split sanity runs are
 * free but rate-limited. Shared by every submission path (endpoint form, ONNX form and API).
 */
export async function submissionLimitRefusal(
  db: Database,
  actor: SubmissionActor,
  split: 'dev' | 'test',
  limits: SubmissionLimits,
  now = new Date(),
): Promise<string | null> {
  if (split === 'dev') {
    const recent = await countRecentTeamRuns(db, actor.teamId, 'dev', new Date(now.getTime() - 3_600_000));
    if (recent < limits.devRunsPerHour) return null;
    return `The team has started ${recent} dev-split runs in the last hour (limit ${limits.devRunsPerHour}); try again later.`;
  }
  const quota = await teamTestRunQuota(db, actor.teamId, limits.dailyTestRuns, now);
  if (quota.remaining <= 0) return `The team has used its ${quota.limit} hidden-split runs for today; the dev split stays free.`;
  // A quota a maintainer raised for this team raises its members' personal limit with it, or it could never be used.
  const personal = Math.max(limits.dailyTestRuns, quota.overridden ? quota.limit : 0);
  if (actor.userId && (await accountTestRunsToday(db, actor.userId, now)) >= personal) {
    return `Your account has started ${personal} hidden-split runs today across its teams (the daily limit per person); the dev split stays free.`;
  }
  return null;
}
