import { data, redirect } from '@remix-run/node';
import type { AppServices } from '../services.server';
import {
  blankSessionCookie,
  createSessionCookie,
  invalidateSession,
  sessionIdFromCookie,
  validateSession,
  type SessionUser,
} from './lucia.server';

export type { SessionUser };

/** Cookies get `Secure` when the request came over HTTPS (directly, or through a proxy Express trusts). */
export function isHttps(request: Request): boolean {
  return new URL(request.url).protocol === 'https:';
}

/** The signed-in user, or null. */
export async function currentUser(request: Request, services: AppServices): Promise<SessionUser | null> {
  const id = sessionIdFromCookie(services.db, request.headers.get('cookie'));
  return id ? validateSession(services.db, id) : null;
}

/** Only same-site paths, so a sign-in link cannot bounce anyone off-site (`//evil`, `/\evil`, `/%09/evil`). */
export function safeNextPath(next: string | null | undefined, fallback = '/account'): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || /[\\\s\u0000-\u001f\u007f]/.test(next)) return fallback;
  try {
    // Whatever the string holds, it must resolve on this origin.
    const base = 'http://same.invalid';
    return new URL(next, base).origin === base ? next : fallback;
  } catch {
    return fallback;
  }
}

/**
 * The signed-in user, or: a page load is sent to sign in (and back), anything else gets 401.
 * `verified: true` also requires a verified e-mail address (403 otherwise).
 */
export async function requireUser(request: Request, services: AppServices, opts: { verified?: boolean } = {}): Promise<SessionUser> {
  const user = await currentUser(request, services);
  if (!user) {
    if (request.method === 'GET') {
      const url = new URL(request.url);
      throw redirect(`/signin?next=${encodeURIComponent(url.pathname + url.search)}`);
    }
    throw data('Sign in first.', { status: 401 });
  }
  if (opts.verified && !user.emailVerified) {
    throw data('Verify your e-mail address first (see the link we sent; /account can send it again).', { status: 403 });
  }
  return user;
}

/**
 * Signs the user in with a brand-new session and drops the session the request came with, so a session id
 * planted before sign-in (session fixation) is worth nothing after it. Returns the redirect that sets the cookie.
 */
export async function startSession(request: Request, services: AppServices, userId: string, next: string): Promise<Response> {
  const presented = sessionIdFromCookie(services.db, request.headers.get('cookie'));
  if (presented) await invalidateSession(services.db, presented);
  const cookie = await createSessionCookie(services.db, userId, isHttps(request));
  return redirect(next, { headers: { 'set-cookie': cookie } });
}

export async function endSession(request: Request, services: AppServices, next = '/'): Promise<Response> {
  const presented = sessionIdFromCookie(services.db, request.headers.get('cookie'));
  if (presented) await invalidateSession(services.db, presented);
  return redirect(next, { headers: { 'set-cookie': blankSessionCookie(services.db, isHttps(request)) } });
}

/** How the audit log names a signed-in account. */
export function auditActorOf(user: SessionUser): string {
  return `user:${user.email ?? user.id}`;
}
