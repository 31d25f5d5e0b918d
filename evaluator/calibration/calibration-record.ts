import { agreementByKey } from '../scoring/agreement';
import { DEFAULT_BOOTSTRAP } from '../scoring/bootstrap';
import { REPORT_DIMENSIONS, type ReportDimension } from '../scoring/report-rubric';
import type { ClinicianRating } from './ratings-file';

/**
 * What a calibration stores (db/schema.ts judgeCalibrations): the paired ratings without report texts, and the
 * per-dimension agreement. Pure. Undefined statistics (NaN) are stored as null, since JSON has no NaN.
 */

/** How the judge answered one rated report; only `scored` carries ratings. */
export type JudgeRatingStatus = 'scored' | 'malformed' | 'failed' | 'no_report';

export interface JudgedRating {
  rating: ClinicianRating;
  status: JudgeRatingStatus;
  judge: Record<ReportDimension, number> | null;
}

export interface StoredPair {
  line: number;
  itemId: string;
  rater: string | null;
  clinician: Record<ReportDimension, number>;
  judge: Record<ReportDimension, number> | null;
  status: JudgeRatingStatus;
}

export interface StoredCalibrationRatings {
  file: string | null;
  pairs: StoredPair[];
}

type Bound = number | null;
export interface DimensionAgreement {
  n: number;
  spearman: Bound;
  spearmanInterval: [Bound, Bound];
  kappa: Bound;
  kappaInterval: [Bound, Bound];
}

export interface CalibrationAgreement {
  /** Reports in the upload. */
  rated: number;
  /** Of them, reports the judge rated (the pairs the statistics use). */
  judged: number;
  bootstrap: { resamples: number; seed: number; level: number };
  dimensions: Record<ReportDimension, DimensionAgreement>;
}

const finite = (v: number): Bound => (Number.isFinite(v) ? v : null);

export function buildCalibrationRecord(judged: readonly JudgedRating[], file: string | null): { ratings: StoredCalibrationRatings; agreement: CalibrationAgreement } {
  const pairs = judged.flatMap((j) => (j.status === 'scored' && j.judge ? [{ a: j.rating.ratings, b: j.judge }] : []));
  const byDimension = agreementByKey(REPORT_DIMENSIONS, pairs);
  const dimensions = Object.fromEntries(
    REPORT_DIMENSIONS.map((d) => {
      const a = byDimension[d];
      return [d, { n: a.n, spearman: finite(a.spearman), spearmanInterval: [finite(a.spearmanInterval[0]), finite(a.spearmanInterval[1])], kappa: finite(a.kappa), kappaInterval: [finite(a.kappaInterval[0]), finite(a.kappaInterval[1])] }];
    }),
  ) as Record<ReportDimension, DimensionAgreement>;
  return {
    ratings: {
      file,
      pairs: judged.map((j) => ({ line: j.rating.line, itemId: j.rating.itemId, rater: j.rating.rater, clinician: j.rating.ratings, judge: j.judge, status: j.status })),
    },
    agreement: {
      rated: judged.length,
      judged: pairs.length,
      bootstrap: { resamples: DEFAULT_BOOTSTRAP.resamples, seed: DEFAULT_BOOTSTRAP.seed, level: DEFAULT_BOOTSTRAP.level },
      dimensions,
    },
  };
}
