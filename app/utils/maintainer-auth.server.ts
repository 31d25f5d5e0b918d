import { createHmac, timingSafeEqual } from 'node:crypto';
import { createCookieSessionStorage, data, redirect, type SessionStorage } from '@remix-run/node';
import type { AppServices } from '../services.server';

/**
 * Maintainer access, in one place so that accounts (lucia, DESIGN.md) can replace it: until then the
 * maintainer pages are guarded by one shared secret, MAINTAINER_TOKEN. Signing in with it sets a signed,
 * httpOnly, SameSite=Lax session cookie whose signing secret is derived from the platform secret key.
 * The session holds a keyed digest of the token, so changing MAINTAINER_TOKEN signs everyone out.
 * Without MAINTAINER_TOKEN the maintainer area is disabled.
 */

export const MAINTAINER_DISABLED_MESSAGE =
  'The maintainer area is disabled: this platform has no MAINTAINER_TOKEN. Set MAINTAINER_TOKEN in the server environment and restart to enable it.';

export type MaintainerAccess = 'disabled' | 'signed-out' | 'signed-in';

const SESSION_HOURS = 12;

interface MaintainerSession {
  tokenTag: string;
}

function hmacHex(key: Buffer | string, message: string): string {
  return createHmac('sha256', key).update(message).digest('hex');
}

const storages = new WeakMap<Buffer, SessionStorage<MaintainerSession>>();

function sessionStorage(services: AppServices): SessionStorage<MaintainerSession> {
  let storage = storages.get(services.secretKey);
  if (!storage) {
    storage = createCookieSessionStorage<MaintainerSession>({
      cookie: {
        name: '__sbh_maintainer',
        httpOnly: true,
        sameSite: 'lax',
        path: '/',
        maxAge: SESSION_HOURS * 3600,
        secrets: [hmacHex(services.secretKey, 'spinebench-hub/maintainer-session-cookie/v1')],
      },
    });
    storages.set(services.secretKey, storage);
  }
  return storage;
}

/** A digest of the token under the platform key: what the cookie carries instead of the token. */
function tokenTag(services: AppServices, token: string): string {
  return hmacHex(services.secretKey, `maintainer-token:${token}`);
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function maintainerAccess(request: Request, services: AppServices): Promise<MaintainerAccess> {
  const token = services.config.maintainerToken;
  if (!token) return 'disabled';
  const session = await sessionStorage(services).getSession(request.headers.get('cookie'));
  const tag = session.get('tokenTag');
  return tag && sameSecret(tag, tokenTag(services, token)) ? 'signed-in' : 'signed-out';
}

/**
 * Guards a maintainer loader or action. Disabled → 503 with the reason; signed out → a page load goes to
 * the sign-in form (`whenSignedOut: 'sign-in'`), anything else (a form post, a download) gets 403.
 */
export async function requireMaintainer(
  request: Request,
  services: AppServices,
  whenSignedOut: 'sign-in' | 'forbid' = 'sign-in',
): Promise<void> {
  const access = await maintainerAccess(request, services);
  if (access === 'signed-in') return;
  if (access === 'disabled') throw data(MAINTAINER_DISABLED_MESSAGE, { status: 503 });
  if (request.method === 'GET' && whenSignedOut === 'sign-in') {
    const url = new URL(request.url);
    throw redirect(`/maintainer/login?next=${encodeURIComponent(url.pathname + url.search)}`);
  }
  throw data('Maintainer sign-in required.', { status: 403 });
}

/** Only same-site paths, so the sign-in form cannot be used to bounce a visitor elsewhere. */
export function safeNextPath(next: string | null | undefined): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.includes('\\') ? next : '/maintainer/releases';
}

/** Checks the token; on success returns the redirect that sets the session cookie. */
export async function signInMaintainer(
  request: Request,
  services: AppServices,
  token: string,
  next: string,
): Promise<{ ok: true; response: Response } | { ok: false; error: string }> {
  const expected = services.config.maintainerToken;
  if (!expected) return { ok: false, error: MAINTAINER_DISABLED_MESSAGE };
  if (!sameSecret(hmacHex(services.secretKey, token), hmacHex(services.secretKey, expected))) {
    // A little friction against guessing.
    await new Promise((resolve) => setTimeout(resolve, 300));
    return { ok: false, error: 'That is not the maintainer token.' };
  }
  const storage = sessionStorage(services);
  const session = await storage.getSession(request.headers.get('cookie'));
  session.set('tokenTag', tokenTag(services, expected));
  const secure = new URL(request.url).protocol === 'https:';
  return {
    ok: true,
    response: redirect(safeNextPath(next), { headers: { 'set-cookie': await storage.commitSession(session, { secure }) } }),
  };
}

export async function signOutMaintainer(request: Request, services: AppServices): Promise<Response> {
  const storage = sessionStorage(services);
  const session = await storage.getSession(request.headers.get('cookie'));
  return redirect('/maintainer/login', { headers: { 'set-cookie': await storage.destroySession(session) } });
}

/**
 * Who is acting, as the audit log names them (db/queries/audit.ts): call after requireMaintainer. The shared
 * token has one identity; with maintainer accounts this names the signed-in maintainer (`maintainer:<name>`).
 */
export async function maintainerActor(_request: Request, _services: AppServices): Promise<string> {
  return 'maintainer:shared-token';
}
