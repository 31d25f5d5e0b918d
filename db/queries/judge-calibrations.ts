import { and, desc, eq } from 'drizzle-orm';
import type { CalibrationAgreement, StoredCalibrationRatings } from '../../evaluator/calibration/calibration-record';
import type { JudgeIdentity } from '../../evaluator/judge';
import type { Database } from '../client';
import { judgeCalibrations, releases } from '../schema';

/** Judge–clinician calibrations (docs/decisions/134-judge-calibration.md). */

export interface NewCalibration {
  releaseId: number;
  judge: JudgeIdentity;
  synthetic: boolean;
  ratings: StoredCalibrationRatings;
  agreement: CalibrationAgreement;
}

export async function insertCalibration(db: Pick<Database, 'insert'>, c: NewCalibration) {
  const [row] = await db
    .insert(judgeCalibrations)
    .values({
      releaseId: c.releaseId,
      judgeModel: c.judge.model,
      judgeModelVersion: c.judge.modelVersion,
      judgeConfigVersion: c.judge.configVersion,
      synthetic: c.synthetic,
      ratings: c.ratings,
      agreement: c.agreement,
    })
    .returning({ id: judgeCalibrations.id, createdAt: judgeCalibrations.createdAt });
  return row;
}

/** What a page may show of a calibration: aggregates only, never the pairs (they name hidden-split items). */
export interface CalibrationSummary {
  id: number;
  releaseId: number;
  judgeModel: string;
  judgeModelVersion: string;
  judgeConfigVersion: string;
  synthetic: boolean;
  agreement: CalibrationAgreement;
  createdAt: Date;
}

const summaryColumns = {
  id: judgeCalibrations.id,
  releaseId: judgeCalibrations.releaseId,
  judgeModel: judgeCalibrations.judgeModel,
  judgeModelVersion: judgeCalibrations.judgeModelVersion,
  judgeConfigVersion: judgeCalibrations.judgeConfigVersion,
  synthetic: judgeCalibrations.synthetic,
  agreement: judgeCalibrations.agreement,
  createdAt: judgeCalibrations.createdAt,
};

/** The newest calibration of this judge configuration on the release, or null. */
export async function latestCalibration(db: Database, releaseId: number, judgeConfigVersion: string): Promise<CalibrationSummary | null> {
  const [row] = await db
    .select(summaryColumns)
    .from(judgeCalibrations)
    .where(and(eq(judgeCalibrations.releaseId, releaseId), eq(judgeCalibrations.judgeConfigVersion, judgeConfigVersion)))
    .orderBy(desc(judgeCalibrations.createdAt), desc(judgeCalibrations.id))
    .limit(1);
  return row ? { ...row, agreement: row.agreement as CalibrationAgreement } : null;
}

/** The newest calibrations of every release, newest first, with the release's name (the maintainer page). */
export async function listCalibrations(db: Database, limit = 20) {
  const rows = await db
    .select({ ...summaryColumns, releaseName: releases.name, releaseVersion: releases.version })
    .from(judgeCalibrations)
    .innerJoin(releases, eq(releases.id, judgeCalibrations.releaseId))
    .orderBy(desc(judgeCalibrations.createdAt), desc(judgeCalibrations.id))
    .limit(limit);
  return rows.map((r) => ({ ...r, agreement: r.agreement as CalibrationAgreement }));
}
