import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAs, postAs, signUp, uniqueEmail, verifiedAccount, verify, type Account } from '../support/accounts';
import { startPlatform, type RunningProcess } from '../support/processes';
import { createTestDatabase, realServicesAvailable } from '../support/services';

const servicesUp = await realServicesAvailable();
const ADMIN = uniqueEmail('admin');

async function createTeam(baseUrl: string, owner: Account, name: string): Promise<number> {
  const res = await postAs(baseUrl, '/teams/new', { name }, owner.cookie);
  expect(res.status).toBe(302);
  return Number(/\/teams\/(\d+)$/.exec(res.location ?? '')![1]);
}

async function inviteLink(baseUrl: string, owner: Account, teamId: number): Promise<string> {
  const res = await postAs(baseUrl, `/teams/${teamId}`, { intent: 'invite' }, owner.cookie);
  expect(res.status).toBe(200);
  return new URL(/data-testid="invite-url">([^<]+)</.exec(res.text)![1]).pathname;
}

describe('teams and roles on real Postgres', () => {
  let platform: { baseUrl: string; proc: RunningProcess };
  let baseUrl = '';
  let sql: postgres.Sql | undefined;
  let dropDb: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    if (!servicesUp) return;
    const database = await createTestDatabase();
    dropDb = database.drop;
    const started = await startPlatform({ databaseUrl: database.url, extraEnv: { SEED_DEMO: '0', ADMIN_EMAILS: ADMIN } });
    platform = { baseUrl: started.baseUrl, proc: started.proc };
    baseUrl = started.baseUrl;
    sql = postgres(database.url, { max: 1, onnotice: () => {} });
  });
  afterAll(async () => {
    await sql?.end();
    await platform?.proc.stop();
    await dropDb?.();
  });

  it.runIf(servicesUp)('an owner invites by link; the link works once; members see the team, others get 403', async () => {
    const owner = await verifiedAccount(platform);
    const teamId = await createTeam(baseUrl, owner, 'Invite Lab');
    const page = await getAs(baseUrl, `/teams/${teamId}`, owner.cookie);
    expect(page.text).toMatch(/data-testid="team-role">owner/);
    expect(page.text).toMatch(/data-testid="team-quota">5 of 5/);

    const link = await inviteLink(baseUrl, owner, teamId);
    const member = await signUp(platform);
    expect((await getAs(baseUrl, link, member.cookie)).status).toBe(200);
    const joined = await postAs(baseUrl, link, {}, member.cookie);
    expect(joined.status).toBe(302);
    expect(joined.location).toBe(`/teams/${teamId}`);
    expect((await getAs(baseUrl, `/teams/${teamId}`, member.cookie)).text).toMatch(/data-testid="team-role">member/);

    // Reused: refused, and the third person is not let in.
    const third = await signUp(platform);
    expect((await getAs(baseUrl, link, third.cookie)).status).toBe(410);
    expect((await postAs(baseUrl, link, {}, third.cookie)).status).toBe(410);
    expect((await getAs(baseUrl, `/teams/${teamId}`, third.cookie)).status).toBe(403);
    // A made-up link is refused the same way.
    expect((await postAs(baseUrl, '/invites/not-a-real-invite-token', {}, third.cookie)).status).toBe(410);
    // Signed out: sent to sign in, and back.
    const anonymous = await getAs(baseUrl, link);
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toBe(`/signin?next=${encodeURIComponent(link)}`);
  });

  it.runIf(servicesUp)('an expired invite is refused and adds nobody', async () => {
    const owner = await verifiedAccount(platform);
    const teamId = await createTeam(baseUrl, owner, 'Expiry Lab');
    const link = await inviteLink(baseUrl, owner, teamId);
    await sql!`update team_invites set expires_at = now() - interval '1 minute' where team_id = ${teamId}`;
    const late = await signUp(platform);
    expect((await postAs(baseUrl, link, {}, late.cookie)).status).toBe(410);
    const [{ n }] = await sql!`select count(*)::int as n from memberships where team_id = ${teamId}`;
    expect(n).toBe(1);
  });

  it.runIf(servicesUp)('only owners create invites; a member of another team can neither see nor act on a team', async () => {
    const owner = await verifiedAccount(platform);
    const teamId = await createTeam(baseUrl, owner, 'Owner Lab');
    const link = await inviteLink(baseUrl, owner, teamId);
    const member = await signUp(platform);
    await postAs(baseUrl, link, {}, member.cookie);
    const [{ before }] = await sql!`select count(*)::int as before from team_invites where team_id = ${teamId}`;
    expect((await postAs(baseUrl, `/teams/${teamId}`, { intent: 'invite' }, member.cookie)).status).toBe(403);

    const outsider = await verifiedAccount(platform);
    await createTeam(baseUrl, outsider, 'Outsider Lab');
    expect((await getAs(baseUrl, `/teams/${teamId}`, outsider.cookie)).status).toBe(403);
    expect((await postAs(baseUrl, `/teams/${teamId}`, { intent: 'invite' }, outsider.cookie)).status).toBe(403);
    expect((await postAs(baseUrl, `/teams/${teamId}`, { intent: 'withdraw', runId: '1' }, outsider.cookie)).status).toBe(403);
    const [{ after }] = await sql!`select count(*)::int as after from team_invites where team_id = ${teamId}`;
    expect(after).toBe(before);
    expect((await getAs(baseUrl, '/teams/99999999999999999999', outsider.cookie)).status).toBe(404);
  });

  it.runIf(servicesUp)('maintainers hand a member-less (pre-accounts) team over and approve hidden-split access', async () => {
    const [legacy] = await sql!`insert into teams (name) values ('Old Free-Text Team') returning id`;
    const admin = await signUp(platform, ADMIN);
    await verify(platform, admin);
    const heir = await verifiedAccount(platform, uniqueEmail('heir', 'gmail.com'));
    expect((await getAs(baseUrl, `/teams/${legacy.id}`, heir.cookie)).status).toBe(403);
    // A plain member cannot use the maintainer page.
    expect((await postAs(baseUrl, '/maintainer/teams', { intent: 'hand-over', teamId: String(legacy.id), email: heir.email }, heir.cookie)).status).toBe(403);

    expect((await getAs(baseUrl, '/maintainer/teams', admin.cookie)).text).toContain('Old Free-Text Team');
    const handed = await postAs(baseUrl, '/maintainer/teams', { intent: 'hand-over', teamId: String(legacy.id), email: heir.email }, admin.cookie);
    expect(handed.status).toBe(200);
    const page = await getAs(baseUrl, `/teams/${legacy.id}`, heir.cookie);
    expect(page.text).toMatch(/data-testid="team-role">owner/);
    // A free-mail address alone does not open the hidden split (HIDDEN_SPLIT_ACCESS=institutional); approval does.
    expect(page.text).toMatch(/data-testid="hidden-access">This team may not run the hidden split yet/);
    const again = await postAs(baseUrl, '/maintainer/teams', { intent: 'hand-over', teamId: String(legacy.id), email: admin.email }, admin.cookie);
    expect(again.status).toBe(409);
    expect((await postAs(baseUrl, '/maintainer/teams', { intent: 'approve', teamId: String(legacy.id) }, admin.cookie)).status).toBe(200);
    expect((await getAs(baseUrl, `/teams/${legacy.id}`, heir.cookie)).text).toMatch(/data-testid="hidden-access">yes: approved by a maintainer/);
  });
});
