import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAs, mailedLink, postAs, sessionCookieOf, signIn, signUp, uniqueEmail, verifiedAccount, verify } from '../support/accounts';
import { startPlatform, type RunningProcess } from '../support/processes';
import { createTestDatabase, realServicesAvailable } from '../support/services';

const servicesUp = await realServicesAvailable();
const ADMIN = uniqueEmail('admin');

/** Whether a cookie opens the account page (signed in) rather than being sent to sign in. */
async function signedIn(baseUrl: string, cookie: string): Promise<boolean> {
  const res = await getAs(baseUrl, '/account', cookie);
  if (res.status === 200) return true;
  expect(res.status).toBe(302);
  expect(res.location).toMatch(/^\/signin\?next=/);
  return false;
}

describe('accounts on real Postgres', () => {
  let platform: { baseUrl: string; proc: RunningProcess };
  let baseUrl = '';
  let dropDb: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    if (!servicesUp) return;
    const database = await createTestDatabase();
    dropDb = database.drop;
    const started = await startPlatform({
      databaseUrl: database.url,
      extraEnv: { SEED_DEMO: '0', ADMIN_EMAILS: ADMIN, SIGN_IN_MAX_FAILURES: '3', SIGN_IN_MAX_FAILURES_PER_ADDRESS: '12' },
    });
    platform = { baseUrl: started.baseUrl, proc: started.proc };
    baseUrl = started.baseUrl;
  });
  afterAll(async () => {
    await platform?.proc.stop();
    await dropDb?.();
  });

  it.runIf(servicesUp)('sign-up sets an HttpOnly, SameSite=Lax session cookie (not Secure over plain http) and mails a verification link', async () => {
    const email = uniqueEmail();
    const res = await postAs(baseUrl, '/signup', { email, password: 'correct horse battery' });
    expect(res.status).toBe(302);
    const setCookie = res.res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^sbh_session=[^;]+;/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).not.toMatch(/Secure/i);
    const cookie = sessionCookieOf(res.res)!;
    const account = await getAs(baseUrl, '/account', cookie);
    expect(account.text).toContain(email);
    expect(account.text).toMatch(/data-testid="email-verified">not yet/);

    await verify(platform, { email, password: '', cookie });
    expect((await getAs(baseUrl, '/account', cookie)).text).toMatch(/data-testid="email-verified">yes/);
    // The link works once.
    const token = new URL(await mailedLink(platform, email, '/verify-email')).searchParams.get('token')!;
    expect((await getAs(baseUrl, `/verify-email?token=${token}`)).status).toBe(410);
    expect((await postAs(baseUrl, '/verify-email', { token })).status).toBe(410);
  });

  it.runIf(servicesUp)('a taken address, a short password and an overlong address are field errors that name the field', async () => {
    const account = await signUp(platform);
    const taken = await postAs(baseUrl, '/signup', { email: account.email, password: 'another long password' });
    expect(taken.status).toBe(409);
    expect(taken.text).toContain('E-mail address already has an account');
    const short = await postAs(baseUrl, '/signup', { email: uniqueEmail(), password: 'short' });
    expect(short.status).toBe(400);
    expect(short.text).toContain('Password must be at least 10 characters.');
    const long = await postAs(baseUrl, '/signup', { email: `${'a'.repeat(100_000)}@example.org`, password: 'long enough password' });
    expect(long.status).toBe(400);
    expect(long.text).toContain('E-mail address must be at most 254 characters.');
    expect(long.text).toMatch(/name="email"[^>]*maxLength="254"|maxLength="254"[^>]*name="email"/i);
    expect(sessionCookieOf(long.res)).toBeNull();
  });

  it.runIf(servicesUp)('session fixation: a session id planted before sign-in is dropped, and the new one is fresh', async () => {
    const attacker = await verifiedAccount(platform);
    const victim = await verifiedAccount(platform);
    // The attacker plants its own valid session in the victim's browser; the victim then signs in.
    const res = await fetch(new URL('/signin', baseUrl), {
      method: 'POST',
      body: new URLSearchParams({ email: victim.email, password: victim.password, next: '/account' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(baseUrl).origin, cookie: attacker.cookie },
      redirect: 'manual',
    });
    expect(res.status).toBe(302);
    const fresh = sessionCookieOf(res)!;
    expect(fresh).toBeTruthy();
    expect(fresh).not.toBe(attacker.cookie);
    expect(await signedIn(baseUrl, attacker.cookie)).toBe(false);
    expect((await getAs(baseUrl, '/account', fresh)).text).toContain(victim.email);
    // A made-up id is not a session either.
    expect(await signedIn(baseUrl, 'sbh_session=attacker-chosen-session-id')).toBe(false);
  });

  it.runIf(servicesUp)('sign-out ends the session on the server, not just in the browser', async () => {
    const account = await signUp(platform);
    expect(await signedIn(baseUrl, account.cookie)).toBe(true);
    const out = await postAs(baseUrl, '/signout', {}, account.cookie);
    expect(out.status).toBe(302);
    expect(await signedIn(baseUrl, account.cookie)).toBe(false);
  });

  it.runIf(servicesUp)('next= only goes to same-site paths', async () => {
    const account = await signUp(platform);
    for (const next of ['//evil.example/', '/\\evil.example', 'https://evil.example/', '/\t/evil.example', '/\n/evil.example']) {
      const res = await postAs(baseUrl, '/signin', { email: account.email, password: account.password, next });
      expect(res.status).toBe(302);
      expect(res.location).toBe('/account');
    }
    // The same through the query string of the sign-in page (decoded: a tab browsers drop, leaving //evil).
    for (const query of ['/%09/evil.example', '//evil.example', '/%5Cevil.example', 'https:%2F%2Fevil.example']) {
      const res = await getAs(baseUrl, `/signin?next=${query}`, account.cookie);
      expect(res.status).toBe(302);
      expect(res.location).toBe('/account');
    }
    const ok = await postAs(baseUrl, '/signin', { email: account.email, password: account.password, next: '/queue' });
    expect(ok.location).toBe('/queue');
  });

  it.runIf(servicesUp)('password reset: the mailed link sets a new password once and ends every session', async () => {
    const account = await verifiedAccount(platform);
    const other = await signIn(baseUrl, account.email, account.password);
    expect(other.cookie).toBeTruthy();
    const asked = await postAs(baseUrl, '/forgot-password', { email: account.email });
    expect(asked.status).toBe(200);
    // An unknown address gets the same answer (no account probing) and no mail.
    const unknown = await postAs(baseUrl, '/forgot-password', { email: uniqueEmail('nobody') });
    expect(unknown.status).toBe(200);
    const token = new URL(await mailedLink(platform, account.email, '/reset-password')).searchParams.get('token')!;
    expect((await getAs(baseUrl, `/reset-password?token=${token}`)).status).toBe(200);
    const tooShort = await postAs(baseUrl, '/reset-password', { token, password: 'short' });
    expect(tooShort.status).toBe(400);
    const reset = await postAs(baseUrl, '/reset-password', { token, password: 'a brand new passphrase' });
    expect(reset.status).toBe(302);
    expect(reset.location).toBe('/signin?reset=1');
    expect(await signedIn(baseUrl, account.cookie)).toBe(false);
    expect(await signedIn(baseUrl, other.cookie!)).toBe(false);
    expect((await signIn(baseUrl, account.email, account.password)).status).toBe(401);
    expect((await signIn(baseUrl, account.email, 'a brand new passphrase')).status).toBe(302);
    const reused = await postAs(baseUrl, '/reset-password', { token, password: 'yet another passphrase' });
    expect(reused.status).toBe(410);
    expect((await signIn(baseUrl, account.email, 'yet another passphrase')).status).toBe(401);
  });

  it.runIf(servicesUp)('maintainers: ADMIN_EMAILS counts only once verified; a member gets 403 on maintainer pages and posts', async () => {
    const anonymous = await getAs(baseUrl, '/maintainer/releases');
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toBe('/signin?next=%2Fmaintainer%2Freleases');
    const member = await verifiedAccount(platform);
    expect((await getAs(baseUrl, '/maintainer/releases', member.cookie)).status).toBe(403);
    const post = await postAs(baseUrl, '/maintainer/releases', { intent: 'publish', releaseId: '1' }, member.cookie);
    expect(post.status).toBe(403);

    const admin = await signUp(platform, ADMIN);
    expect((await getAs(baseUrl, '/maintainer/releases', admin.cookie)).status).toBe(403);
    await verify(platform, admin);
    expect((await getAs(baseUrl, '/maintainer/releases', admin.cookie)).status).toBe(200);
  });

  // Last: it uses up the sign-in budget of the test's address.
  it.runIf(servicesUp)('sign-in is throttled per account, then per address, and refuses even the right password meanwhile', async () => {
    const account = await signUp(platform);
    for (let i = 0; i < 3; i++) expect((await signIn(baseUrl, account.email, `wrong guess ${i}`)).status).toBe(401);
    const locked = await signIn(baseUrl, account.email, account.password);
    expect(locked.status).toBe(429);
    expect(locked.text).toContain('Too many failed sign-ins for this account');
    expect(locked.cookie).toBeNull();

    // Other accounts from the same address still work until the address's own limit (12) is reached.
    const second = await signUp(platform);
    expect((await signIn(baseUrl, second.email, second.password)).status).toBe(302);
    let refusedAfter = 0;
    for (; refusedAfter <= 12; refusedAfter++) {
      const res = await signIn(baseUrl, uniqueEmail('spray'), 'guess');
      if (res.status === 429) break;
      expect(res.status).toBe(401);
    }
    // Earlier tests' wrong passwords count too, so fewer than 12 new ones may reach the limit, never more.
    expect(refusedAfter).toBeLessThanOrEqual(12 - 3);
    const blocked = await signIn(baseUrl, second.email, second.password);
    expect(blocked.status).toBe(429);
    expect(blocked.text).toContain('Too many failed sign-ins from your address');
  });
});
