/**
 * Accounts as a test drives them over HTTP, like a browser without JavaScript: sign up, read the mailed link
 * from the server log (no SMTP_URL in tests, so mail is printed there), verify, sign in. Requests carry the
 * platform's own Origin, as a browser's same-origin form posts do.
 */
import { waitFor } from './platform-client';

export interface PlatformHandle {
  baseUrl: string;
  proc: { output(): string };
}

export interface Account {
  email: string;
  password: string;
  /** `sbh_session=…`, for a Cookie header. */
  cookie: string;
}

let counter = 0;
/** An address unique to this test process, on an institutional-looking domain (not a free-mail provider). */
export function uniqueEmail(label = 'user', domain = 'spine-lab.example.org'): string {
  return `${label}-${process.pid}-${Date.now().toString(36)}-${++counter}@${domain}`;
}

/** The session cookie a response sets (name=value), or null. */
export function sessionCookieOf(res: Response): string | null {
  const header = res.headers.get('set-cookie') ?? '';
  const m = /(?:^|,\s*)(sbh_session=[^;]*)/.exec(header);
  return m && m[1] !== 'sbh_session=' ? m[1] : null;
}

/** POSTs a urlencoded form with the platform's Origin (and a cookie if given); never follows redirects. */
export async function postAs(baseUrl: string, path: string, fields: Record<string, string>, cookie?: string) {
  const res = await fetch(new URL(path, baseUrl), {
    method: 'POST',
    body: new URLSearchParams(fields),
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(baseUrl).origin, ...(cookie ? { cookie } : {}) },
    redirect: 'manual',
  });
  return { res, status: res.status, location: res.headers.get('location'), text: await res.text() };
}

export async function getAs(baseUrl: string, path: string, cookie?: string) {
  const res = await fetch(new URL(path, baseUrl), { headers: cookie ? { cookie } : {}, redirect: 'manual' });
  return { res, status: res.status, location: res.headers.get('location'), text: await res.text() };
}

/** The newest link to `path` mailed to `email` (read from the server log). */
export async function mailedLink(platform: PlatformHandle, email: string, path: '/verify-email' | '/reset-password'): Promise<string> {
  return waitFor(`a ${path} mail to ${email}`, async () => {
    const mails = [...platform.proc.output().matchAll(/\[mail\] to (\S+): [^\n]*\n([\s\S]*?)\[\/mail\]/g)].filter((m) => m[1] === email);
    for (const mail of mails.reverse()) {
      const link = new RegExp(`https?://\\S+${path}\\?token=[A-Za-z0-9_-]+`).exec(mail[2]);
      if (link) return link[0];
    }
    return null;
  }, 20_000);
}

export async function signUp(platform: PlatformHandle, email = uniqueEmail(), password = 'correct horse battery'): Promise<Account> {
  const res = await postAs(platform.baseUrl, '/signup', { email, password });
  const cookie = sessionCookieOf(res.res);
  if (res.status !== 302 || !cookie) throw new Error(`sign-up refused (${res.status}): ${res.text.slice(0, 300)}`);
  return { email, password, cookie };
}

/** Opens the mailed verification link and presses its button. */
export async function verify(platform: PlatformHandle, account: Account): Promise<void> {
  const link = new URL(await mailedLink(platform, account.email, '/verify-email'));
  const res = await postAs(platform.baseUrl, '/verify-email', { token: link.searchParams.get('token')! }, account.cookie);
  if (res.status !== 200) throw new Error(`verification refused (${res.status})`);
}

export async function signIn(baseUrl: string, email: string, password: string) {
  const res = await postAs(baseUrl, '/signin', { email, password, next: '/account' });
  return { ...res, cookie: sessionCookieOf(res.res) };
}

/** A signed-in account with a verified address. */
export async function verifiedAccount(platform: PlatformHandle, email = uniqueEmail()): Promise<Account> {
  const account = await signUp(platform, email);
  await verify(platform, account);
  return account;
}

/** A verified account that owns a new team: the usual submitter of a test. */
export async function teamMember(platform: PlatformHandle, teamName: string, email = uniqueEmail()): Promise<{ account: Account; cookie: string; teamId: number }> {
  const account = await verifiedAccount(platform, email);
  const res = await postAs(platform.baseUrl, '/teams/new', { name: teamName }, account.cookie);
  const teamId = Number(/\/teams\/(\d+)$/.exec(res.location ?? '')?.[1]);
  if (res.status !== 302 || !teamId) throw new Error(`team "${teamName}" not created (${res.status}): ${res.text.slice(0, 300)}`);
  return { account, cookie: account.cookie, teamId };
}
