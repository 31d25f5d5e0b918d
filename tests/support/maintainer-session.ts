/**
 * Maintainer sessions for tests, in one place so that a change of the sign-in (app/utils/maintainer-auth.server.ts)
 * is followed here only. A maintainer is a verified account whose address is in ADMIN_EMAILS.
 */
import { uniqueEmail, verifiedAccount, type PlatformHandle } from './accounts';

/** The environment a platform needs for `email` to become a maintainer when verified. */
export function maintainerEnv(email: string) {
  return { ADMIN_EMAILS: email };
}

export const newMaintainerEmail = () => uniqueEmail('maintainer');

/** Signs up and verifies `email` (in the platform's ADMIN_EMAILS); returns the Cookie header value. */
export async function signInAsMaintainer(platform: PlatformHandle, email: string): Promise<string> {
  return (await verifiedAccount(platform, email)).cookie;
}

/** A verified account that is not a maintainer; returns its Cookie header value. */
export async function signInAsMember(platform: PlatformHandle): Promise<string> {
  return (await verifiedAccount(platform, uniqueEmail('member'))).cookie;
}

/** A request with a cookie or none; posts carry the platform's Origin, as a browser's form does. Never follows redirects. */
export async function request(baseUrl: string, path: string, opts: { cookie?: string; form?: Record<string, string> } = {}) {
  const res = await fetch(new URL(path, baseUrl), {
    method: opts.form ? 'POST' : 'GET',
    body: opts.form ? new URLSearchParams(opts.form) : undefined,
    headers: {
      ...(opts.cookie ? { cookie: opts.cookie } : {}),
      ...(opts.form ? { origin: new URL(baseUrl).origin, 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    redirect: 'manual',
  });
  return { status: res.status, location: res.headers.get('location'), headers: res.headers, text: await res.text() };
}
