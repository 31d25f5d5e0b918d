import { and, asc, eq } from 'drizzle-orm';
import type { ReportItem } from '../../benchmark/item-schema';
import type { Database } from '../../db/client';
import { recordAudit } from '../../db/queries/audit';
import { insertCalibration } from '../../db/queries/judge-calibrations';
import { items, releases } from '../../db/schema';
import { buildCalibrationRecord, type CalibrationAgreement, type JudgedRating } from '../../evaluator/calibration/calibration-record';
import { parseRatingsFile, type RatingsProblem } from '../../evaluator/calibration/ratings-file';
import { judgeIdentity, judgeReport, type JudgeConfig } from '../../evaluator/judge';
import { REPORT_DIMENSIONS } from '../../evaluator/scoring/report-rubric';

/**
 * Calibrates the configured judge against clinician ratings (docs/judge-calibration.md): validates the upload, asks
 * the judge to rate the same report texts, computes per-dimension agreement and stores it with an audit entry in one
 * transaction. Any input problem or a judge that is not the pinned model writes nothing.
 */

/** The upload was refused; every problem names its line and field. */
export class CalibrationInputError extends Error {
  constructor(readonly problems: RatingsProblem[]) {
    super(`The ratings were not stored: ${problems.length} problem${problems.length === 1 ? '' : 's'} found. Nothing was written.`);
    this.name = 'CalibrationInputError';
  }
}

/** The judge could not rate enough of the reports to compare; nothing was written. */
export class CalibrationJudgeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CalibrationJudgeError';
  }
}

export interface CalibrateInput {
  releaseId: number;
  judge: JudgeConfig;
  /** The JSONL file's text. */
  text: string;
  fileName: string | null;
  synthetic: boolean;
  actor: string;
  /** Parallel judge calls. */
  concurrency?: number;
  fetch?: typeof fetch;
}

export async function calibrateJudge(db: Database, input: CalibrateInput): Promise<{ id: number; agreement: CalibrationAgreement }> {
  const [release] = await db.select({ name: releases.name, version: releases.version }).from(releases).where(eq(releases.id, input.releaseId));
  if (!release) throw new CalibrationInputError([{ line: 1, field: null, message: `release ${input.releaseId} does not exist` }]);
  const reportItems = await db
    .select({ itemKey: items.itemKey, payload: items.payload })
    .from(items)
    .where(and(eq(items.releaseId, input.releaseId), eq(items.task, 'report')))
    .orderBy(asc(items.ordinal));
  const byKey = new Map(reportItems.map((r) => [r.itemKey, r.payload as unknown as ReportItem]));
  const parsed = parseRatingsFile(input.text, new Set(byKey.keys()));
  if (!parsed.ok) throw new CalibrationInputError(parsed.problems);

  // A JudgeModelMismatchError propagates: another model's ratings must never stand for the pinned judge's.
  const judged: JudgedRating[] = new Array(parsed.ratings.length);
  let next = 0;
  const worker = async () => {
    while (next < parsed.ratings.length) {
      const i = next++;
      const rating = parsed.ratings[i];
      const outcome = await judgeReport(input.judge, byKey.get(rating.itemId)!, rating.report, { fetch: input.fetch });
      judged[i] = {
        rating,
        status: outcome.status,
        judge: outcome.status === 'scored' ? (Object.fromEntries(REPORT_DIMENSIONS.map((d) => [d, outcome.rubric.dimensions[d]])) as JudgedRating['judge']) : null,
      };
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, input.concurrency ?? 4) }, worker));

  const record = buildCalibrationRecord(judged, input.fileName);
  if (record.agreement.judged < 2) {
    throw new CalibrationJudgeError(`The judge rated ${record.agreement.judged} of ${record.agreement.rated} reports (it failed or answered malformed on the others); at least 2 are needed. Nothing was written.`);
  }
  const judge = judgeIdentity(input.judge);
  return db.transaction(async (tx) => {
    const row = await insertCalibration(tx, { releaseId: input.releaseId, judge, synthetic: input.synthetic, ...record });
    await recordAudit(tx, {
      actor: input.actor,
      action: 'judge.calibrate',
      subject: `release:${release.name}@${release.version}`,
      details: { calibrationId: row.id, judge: judge.configVersion, file: input.fileName, rated: record.agreement.rated, judged: record.agreement.judged, synthetic: input.synthetic },
    });
    return { id: row.id, agreement: record.agreement };
  });
}

/** The demo's rating set is calibrated once per judge configuration (docs/decisions/134-judge-calibration.md). */
export async function demoReportItems(db: Database, releaseId: number, count: number) {
  const rows = await db
    .select({ itemKey: items.itemKey, payload: items.payload })
    .from(items)
    .where(and(eq(items.releaseId, releaseId), eq(items.task, 'report'), eq(items.split, 'dev')))
    .orderBy(asc(items.ordinal))
    .limit(count);
  return rows.map((r) => ({ itemKey: r.itemKey, payload: r.payload as unknown as ReportItem }));
}
