import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maintainerEnv, newMaintainerEmail, request, signInAsMaintainer, signInAsMember } from '../support/maintainer-session';
import { startPlatform, type RunningProcess } from '../support/processes';
import { verifiedAccount, type Account } from '../support/accounts';
import { createTeam } from '../support/api-tokens';
import { TEST_REDIS_URL, realServicesAvailable } from '../support/services';

const servicesUp = await realServicesAvailable();

describe.runIf(servicesUp)('bull-board queue dashboard and quota changes behind the maintainer role (Redis)', () => {
  let baseUrl = '';
  let platform: RunningProcess | undefined;
  let maintainer = '';
  let member = '';
  let owner: Account;
  let teamId = 0;

  beforeAll(async () => {
    const email = newMaintainerEmail();
    const started = await startPlatform({ redisUrl: TEST_REDIS_URL, extraEnv: { ...maintainerEnv(email), QUEUE_PREFIX: `sbh-board-${process.pid}-${Date.now()}` } });
    baseUrl = started.baseUrl;
    platform = started.proc;
    maintainer = await signInAsMaintainer({ baseUrl, proc: started.proc }, email);
    member = await signInAsMember({ baseUrl, proc: started.proc });
    owner = await verifiedAccount({ baseUrl, proc: started.proc });
    teamId = await createTeam(baseUrl, owner, 'Quota Lab');
  }, 180_000);
  afterAll(async () => platform?.stop());

  it('a visitor is sent to sign in, a signed-in non-maintainer gets 403, on the page and on its API', async () => {
    const page = await request(baseUrl, '/maintainer/queues');
    expect(page.status).toBe(302);
    expect(page.location).toBe('/signin?next=%2Fmaintainer%2Fqueues');
    for (const path of ['/maintainer/queues', '/maintainer/queues/api/queues']) {
      const asMember = await request(baseUrl, path, { cookie: member });
      expect(asMember.status, path).toBe(403);
      expect(asMember.text, path).toContain('not a platform maintainer');
      expect(asMember.text, path).not.toContain('endpoint-shards');
    }
    expect((await request(baseUrl, '/maintainer/queues/api/queues')).status).toBe(403);
    // Acting on jobs is refused the same way.
    const retry = await fetch(new URL('/maintainer/queues/api/queues/scoring/retry/failed', baseUrl), {
      method: 'PUT',
      headers: { cookie: member, origin: new URL(baseUrl).origin },
      redirect: 'manual',
    });
    expect(retry.status).toBe(403);
  });

  it('a maintainer sees the fleet’s queues', async () => {
    const page = await request(baseUrl, '/maintainer/queues', { cookie: maintainer });
    expect(page.status).toBe(200);
    expect(page.text).toContain('SpineBench queues');
    const api = await request(baseUrl, '/maintainer/queues/api/queues', { cookie: maintainer });
    expect(api.status).toBe(200);
    const names = (JSON.parse(api.text) as { queues: Array<{ name: string }> }).queues.map((q) => q.name).sort();
    expect(names).toEqual(['endpoint-shards', 'onnx-shards', 'scoring']);
    const overview = await request(baseUrl, '/maintainer', { cookie: maintainer });
    expect(overview.text).toContain('href="/maintainer/queues"');
  });

  it('only a maintainer changes a team’s daily quota; the team sees it on its page; the change is audited', async () => {
    const form = { intent: 'quota', teamId: String(teamId), dailyTestRuns: '9', reason: 'challenge week' };
    expect((await request(baseUrl, '/maintainer/teams', { form })).status).toBe(403);
    expect((await request(baseUrl, '/maintainer/teams', { form, cookie: member })).status).toBe(403);
    expect((await request(baseUrl, '/maintainer/teams', { form, cookie: owner.cookie })).status).toBe(403);
    const before = await request(baseUrl, `/teams/${teamId}`, { cookie: owner.cookie });
    expect(before.text).not.toContain('data-testid="quota-override"');

    const bad = await request(baseUrl, '/maintainer/teams', { form: { ...form, dailyTestRuns: '-3' }, cookie: maintainer });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Daily hidden-split runs: a whole number from 0 to 1000');
    expect((await request(baseUrl, '/maintainer/teams', { form, cookie: maintainer })).status).toBe(200);
    const page = await request(baseUrl, `/teams/${teamId}`, { cookie: owner.cookie });
    expect(page.text).toMatch(/data-testid="team-quota">9 of 9 /);
    expect(page.text).toContain('set for this team by the maintainers');
    const audit = await request(baseUrl, '/maintainer/audit/export?format=json&action=quota.change', { cookie: maintainer });
    expect(JSON.parse(audit.text)).toEqual([expect.objectContaining({ subject: 'team:Quota Lab', reason: 'challenge week', details: expect.objectContaining({ from: 'default (5)', to: 9 }) })]);
  });
});
