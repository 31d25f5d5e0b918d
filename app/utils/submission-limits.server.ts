import type { Database } from '../../db/client';
import { countRecentRuns, getTestRunQuota } from '../../db/queries/quota';

export interface SubmissionLimits {
  /** Hidden-split runs per team per UTC day. */
  dailyTestRuns: number;
  /** Free dev-split sanity runs per team per rolling hour. */
  devRunsPerHour: number;
}

/**
 * Why a submission may not start now, or null when it may: a hidden-split run needs quota left today; dev-split
 * sanity runs are free but rate-limited. Shared by every submission path (endpoint form, ONNX form and API).
 */
export async function submissionLimitRefusal(
  db: Database,
  teamName: string,
  split: 'dev' | 'test',
  limits: SubmissionLimits,
  now = new Date(),
): Promise<string | null> {
  if (split === 'dev') {
    const recent = await countRecentRuns(db, teamName, 'dev', new Date(now.getTime() - 3_600_000));
    if (recent < limits.devRunsPerHour) return null;
    return `Team "${teamName}" has started ${recent} dev-split runs in the last hour (limit ${limits.devRunsPerHour}); try again later.`;
  }
  const quota = await getTestRunQuota(db, teamName, limits.dailyTestRuns, now);
  if (quota.remaining > 0) return null;
  return `Team "${teamName}" has used its ${quota.limit} hidden-split runs for today; the dev split stays free.`;
}
