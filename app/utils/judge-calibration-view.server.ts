import type { Database } from '../../db/client';
import { latestCalibration } from '../../db/queries/judge-calibrations';
import { judgeConfigVersion } from '../../evaluator/judge';
import type { JudgeCalibrationValue } from '../components/judge-calibration';
import type { JudgeIdentityValue } from '../components/judge-identity';

/**
 * The calibration shown beside the board's judge: the newest one of the very judge configuration that scored the
 * board's ranked rows (model, version and prompt version; docs/decisions/131), so a calibration of another judge or
 * prompt is never shown as this one's. Aggregates only.
 */
export async function calibrationForBoard(db: Database, releaseId: number, scoring: JudgeIdentityValue | null): Promise<JudgeCalibrationValue> {
  const judge = scoring?.reportMethod === 'judge' ? scoring.judge : null;
  if (!judge) return { state: 'no-judge' };
  const configVersion = judge.promptVersion ? judgeConfigVersion(judge.promptVersion, judge.model, judge.modelVersion) : null;
  const found = configVersion ? await latestCalibration(db, releaseId, configVersion) : null;
  if (!found) return { state: 'none', judgeModel: judge.model };
  return {
    state: 'shown',
    judgeModel: judge.model,
    synthetic: found.synthetic,
    createdAt: found.createdAt.toISOString(),
    rated: found.agreement.rated,
    judged: found.agreement.judged,
    dimensions: found.agreement.dimensions,
  };
}
