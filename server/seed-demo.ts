import { submitBaselines, type SubmissionServices } from '../app/utils/submission-service.server';
import { ensureDemoRelease, type DemoReleaseSettings } from './demo-release';

/** First start: import the demo release and evaluate the baselines on its hidden split, once. */
export async function seedDemo(services: Pick<SubmissionServices, 'db' | 'queue'>, release: DemoReleaseSettings): Promise<void> {
  const releaseId = await ensureDemoRelease(services.db, release);
  await submitBaselines(services, releaseId);
}
