import type { Database } from '../../db/client';
import { getTestRunQuota } from '../../db/queries/quota';

/**
 * Why a submission may not start now, or null when it may: a hidden-split run needs quota left today;
 * the dev split stays free. Shared by every submission path (endpoint form, ONNX form and API).
 */
export async function testRunQuotaRefusal(db: Database, teamName: string, split: 'dev' | 'test', dailyLimit: number): Promise<string | null> {
  if (split !== 'test') return null;
  const quota = await getTestRunQuota(db, teamName, dailyLimit);
  if (quota.remaining > 0) return null;
  return `Team "${teamName}" has used its ${quota.limit} hidden-split runs for today; the dev split stays free.`;
}
