import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submissionLimitRefusal } from '../../app/utils/submission-limits.server';
import { listAudit } from '../../db/queries/audit';
import { teamTestRunQuota } from '../../db/queries/quota';
import { setTeamQuotaOverride } from '../../db/queries/quota-overrides';
import { createEndpointSubmission } from '../../db/queries/submissions';
import { SCORER_VERSION } from '../../evaluator/scoring';
import { ensureDemoRelease } from '../../server/demo-release';
import { DEMO_RELEASE_DIR } from '../support/demo-release';
import { openScratchDatabase, type ScratchDatabase } from '../support/scratch-database';
import { realServicesAvailable } from '../support/services';
import { submitterOf } from '../support/teams';

const servicesUp = await realServicesAvailable();
const limits = { dailyTestRuns: 2, devRunsPerHour: 10 };

describe.runIf(servicesUp)('per-team quota set by maintainers (Postgres)', () => {
  let scratch: ScratchDatabase;
  let teamId = 0;
  beforeAll(async () => {
    scratch = await openScratchDatabase('postgres');
    const dataDir = mkdtempSync(path.join(tmpdir(), 'sbh-quota-'));
    const releaseId = await ensureDemoRelease(scratch.db, { dataDir, imageStoreDir: path.join(dataDir, 'images'), sourceDir: DEMO_RELEASE_DIR });
    const submitter = await submitterOf(scratch.db, 'Busy Lab', 'busy-vlm');
    teamId = submitter.teamId;
    for (let i = 0; i < 2; i++) {
      await createEndpointSubmission(scratch.db, { ...submitter, endpointUrl: 'http://127.0.0.1:9/v1', endpointModel: 'm', releaseId, split: 'test', scorerVersion: SCORER_VERSION, adapterSettings: {} });
    }
  });
  afterAll(async () => scratch?.destroy());

  it('replaces the default for that team, is shown as overridden, and is audited as quota.change', async () => {
    const db = scratch.db;
    const actor = { teamId, userId: null };
    expect(await submissionLimitRefusal(db, actor, 'test', limits)).toMatch(/used its 2 hidden-split runs/);

    expect(await setTeamQuotaOverride(db, { teamId, dailyTestRuns: 5, reason: 'workshop deadline', actor: 'maintainer:ana@example.org', defaultLimit: 2 })).toBe(true);
    expect(await teamTestRunQuota(db, teamId, 2)).toMatchObject({ limit: 5, used: 2, remaining: 3, overridden: true });
    expect(await submissionLimitRefusal(db, actor, 'test', limits)).toBeNull();

    await setTeamQuotaOverride(db, { teamId, dailyTestRuns: 0, reason: 'paused', actor: 'maintainer:ana@example.org', defaultLimit: 2 });
    expect(await submissionLimitRefusal(db, actor, 'test', limits)).toMatch(/used its 0 hidden-split runs/);
    // The dev split is not touched by the override.
    expect(await submissionLimitRefusal(db, actor, 'dev', limits)).toBeNull();

    await setTeamQuotaOverride(db, { teamId, dailyTestRuns: null, actor: 'maintainer:ana@example.org', defaultLimit: 2 });
    expect(await teamTestRunQuota(db, teamId, 2)).toMatchObject({ limit: 2, overridden: false });
    // Setting the same value again records nothing new.
    await setTeamQuotaOverride(db, { teamId, dailyTestRuns: null, actor: 'maintainer:ana@example.org', defaultLimit: 2 });

    const audit = await listAudit(db, { action: 'quota.change' });
    expect(audit.map((e) => e.details)).toEqual([
      expect.objectContaining({ from: 0, to: 'default (2)' }),
      expect.objectContaining({ from: 5, to: 0 }),
      expect.objectContaining({ from: 'default (2)', to: 5 }),
    ]);
    expect(audit.every((e) => e.subject === 'team:Busy Lab' && e.actor === 'maintainer:ana@example.org')).toBe(true);
    expect(audit[2].reason).toBe('workshop deadline');
    await expect(setTeamQuotaOverride(db, { teamId, dailyTestRuns: -1, actor: 'x', defaultLimit: 2 })).rejects.toThrow(RangeError);
  });
});
