import { demoReportItems, calibrateJudge } from '../app/utils/judge-calibration.server';
import { submitBaselines, type SubmissionServices } from '../app/utils/submission-service.server';
import { latestCalibration } from '../db/queries/judge-calibrations';
import { syntheticRatingsJsonl } from '../evaluator/calibration/synthetic-set';
import { judgeIdentity, type JudgeConfig } from '../evaluator/judge';
import { log } from '../log/logger';
import { ensureDemoRelease, type DemoReleaseSettings } from './demo-release';

/**
 * First start: import the demo release and evaluate the baselines on its hidden split, once. With a judge configured,
 * the demo's SYNTHETIC clinician ratings are calibrated against it once per judge configuration, in the background
 * (it calls the judge); without one the reports board says no judge is configured (docs/decisions/134).
 */
export async function seedDemo(services: Pick<SubmissionServices, 'db' | 'queue'>, release: DemoReleaseSettings, judge: JudgeConfig | null = null): Promise<void> {
  const releaseId = await ensureDemoRelease(services.db, release);
  await submitBaselines(services, releaseId);
  if (judge) {
    void seedDemoCalibration(services.db, releaseId, judge).catch((err) => log.warn({ err }, 'demo judge calibration failed; upload ratings on /maintainer/calibration'));
  }
}

export async function seedDemoCalibration(db: SubmissionServices['db'], releaseId: number, judge: JudgeConfig): Promise<boolean> {
  if (await latestCalibration(db, releaseId, judgeIdentity(judge).configVersion)) return false;
  const text = syntheticRatingsJsonl(await demoReportItems(db, releaseId, 12));
  await calibrateJudge(db, { releaseId, judge, text, fileName: 'demo-synthetic-ratings.jsonl', synthetic: true, actor: 'system' });
  return true;
}
