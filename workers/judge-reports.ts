import type { ReportItem } from '../benchmark/item-schema';
import type { Database } from '../db/client';
import { listResultsWithItems, updateItemScore } from '../db/queries/runs';
import { judgeIdentity, judgeReport, type JudgeConfig } from '../evaluator/judge';
import { createRequestLimiter } from '../evaluator/net/limiter';
import { withJudge, type ReportItemScore } from '../evaluator/scoring';
import { judgeCalls } from './metrics';

/**
 * Asks the configured LLM judge to rate every report of a run that this judge configuration has not rated
 * yet, or failed on before, and stores its outcome (rubric, rationales, or the typed failure) with the item.
 * Resumable. A judge endpoint that reports serving another model throws JudgeModelMismatchError: judging stops.
 */
export async function judgeRunReports(db: Database, runId: number, config: JudgeConfig, signal?: AbortSignal): Promise<number> {
  const identity = judgeIdentity(config);
  const rows = (await listResultsWithItems(db, runId)).filter((r) => {
    const detail = r.detail;
    if (!detail) return false;
    // Missing and blank reports are included: judgeReport answers `no_report` for them without asking the judge.
    // Reports this judge failed on before (malformed, failed) are asked again (decision 131).
    if (detail.task === 'report' && detail.judge && (detail.judge.status === 'failed' || detail.judge.status === 'malformed')) return true;
    return detail.task === 'report' && detail.judge?.judge.configVersion !== identity.configVersion;
  });
  const limiter = createRequestLimiter({ concurrency: 4 });
  await Promise.all(
    rows.map((r) =>
      limiter.schedule(async () => {
        const outcome = await judgeReport(config, r.payload as ReportItem, r.rawOutput ?? '', { signal });
        judgeCalls.inc({ outcome: outcome.status === 'failed' ? outcome.code : outcome.status });
        const judged = withJudge(r.detail as ReportItemScore, outcome);
        await updateItemScore(db, r.resultId, { score: judged.score, detail: judged, scorerVersion: judged.scorerVersion });
      }),
    ),
  );
  return rows.length;
}
