import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAs, postAs, verifiedAccount } from '../support/accounts';
import { startPlatform, type RunningProcess } from '../support/processes';
import { createTestDatabase, realServicesAvailable } from '../support/services';

const servicesUp = await realServicesAvailable();

/** Issue 16 (medium): team names are compared normalised, so "Vіctim Lab" (Cyrillic і) cannot pose as "Victim Lab". */
describe('look-alike team names', () => {
  let platform: { baseUrl: string; proc: RunningProcess };
  let dropDb: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    if (!servicesUp) return;
    const database = await createTestDatabase();
    dropDb = database.drop;
    const started = await startPlatform({ databaseUrl: database.url, extraEnv: { SEED_DEMO: '0' } });
    platform = { baseUrl: started.baseUrl, proc: started.proc };
  });
  afterAll(async () => {
    await platform?.proc.stop();
    await dropDb?.();
  });

  it.runIf(servicesUp)('a name that only differs by script, case, width or invisible characters is refused as taken', async () => {
    const victim = await verifiedAccount(platform);
    const created = await postAs(platform.baseUrl, '/teams/new', { name: 'Victim Lab' }, victim.cookie);
    expect(created.status).toBe(302);
    expect(created.location).toMatch(/^\/teams\/\d+$/);

    const attacker = await verifiedAccount(platform);
    for (const name of ['Vіctim Lab', 'VICTIM LAB', 'Ｖｉｃｔｉｍ Lab', 'Victim\u200b Lab', 'Vict1m Lab', 'Victim_Lab']) {
      const res = await postAs(platform.baseUrl, '/teams/new', { name }, attacker.cookie);
      expect(res.status, name).toBe(409);
      expect(res.text).toContain('is taken, or too close to a team name that is');
    }
    // Nothing was made for the attacker.
    expect((await getAs(platform.baseUrl, '/account', attacker.cookie)).text).toContain('You are in no team yet.');
    // A name that is really different is fine.
    expect((await postAs(platform.baseUrl, '/teams/new', { name: 'Victor Lab' }, attacker.cookie)).status).toBe(302);
  });

  it.runIf(servicesUp)('a name made of invisible characters, or an overlong one, is a field error naming the field', async () => {
    const account = await verifiedAccount(platform);
    const invisible = await postAs(platform.baseUrl, '/teams/new', { name: '\u200b\u200b\u200b' }, account.cookie);
    expect(invisible.status).toBe(400);
    expect(invisible.text).toContain('Team name needs at least 2 visible letters or digits.');
    const long = await postAs(platform.baseUrl, '/teams/new', { name: 'x'.repeat(100_000) }, account.cookie);
    expect(long.status).toBe(400);
    expect(long.text).toContain('Team name must be at most 80 characters.');
    expect(long.text).toMatch(/maxLength="80"/);
  });
});
