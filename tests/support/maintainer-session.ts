/**
 * Maintainer sessions for tests, in one place so that a change of the sign-in (app/utils/maintainer-auth.server.ts)
 * is followed here only.
 */
export const TEST_MAINTAINER_TOKEN = 'maintainer-token-for-console-tests';

/** The environment a platform needs for the maintainer area to be on. */
export const maintainerEnv = { MAINTAINER_TOKEN: TEST_MAINTAINER_TOKEN };

/** Signs in as a maintainer; returns the Cookie header value of the session. */
export async function signInAsMaintainer(baseUrl: string): Promise<string> {
  const res = await fetch(new URL('/maintainer/login', baseUrl), {
    method: 'POST',
    body: new URLSearchParams({ token: TEST_MAINTAINER_TOKEN, next: '/maintainer' }),
    redirect: 'manual',
  });
  const cookie = res.headers.get('set-cookie');
  if (res.status !== 302 || !cookie) throw new Error(`maintainer sign-in failed (${res.status})`);
  return cookie.split(';')[0];
}

/** A request as a maintainer (cookie) or as anyone (no cookie); never follows redirects. */
export async function request(baseUrl: string, path: string, opts: { cookie?: string; form?: Record<string, string> } = {}) {
  const res = await fetch(new URL(path, baseUrl), {
    method: opts.form ? 'POST' : 'GET',
    body: opts.form ? new URLSearchParams(opts.form) : undefined,
    headers: opts.cookie ? { cookie: opts.cookie } : {},
    redirect: 'manual',
  });
  return { status: res.status, location: res.headers.get('location'), headers: res.headers, text: await res.text() };
}
