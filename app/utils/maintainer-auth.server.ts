import { redirect } from '@remix-run/node';
import { refusal } from './refusal';
import { currentUser, endSession, safeNextPath as safeSameSitePath } from '../auth/session.server';
import type { AppServices } from '../services.server';

/**
 * Maintainer access: the maintainer role of a signed-in account with a verified address (app/auth). The first
 * maintainers come from ADMIN_EMAILS (promoted when they verify) or `npm run accounts -- maintainer EMAIL`.
 * The guard names are the ones the maintainer pages have always called.
 */

export const MAINTAINER_DISABLED_MESSAGE =
  'This account is not a platform maintainer. Maintainers are set by ADMIN_EMAILS or `npm run accounts -- maintainer EMAIL`.';

/** `disabled`: signed in, but not as a (verified) maintainer. */
export type MaintainerAccess = 'disabled' | 'signed-out' | 'signed-in';

export async function maintainerAccess(request: Request, services: AppServices): Promise<MaintainerAccess> {
  const user = await currentUser(request, services);
  if (!user) return 'signed-out';
  return user.role === 'maintainer' && user.emailVerified ? 'signed-in' : 'disabled';
}

/**
 * Guards a maintainer loader or action. Signed in without the role → 403 with the reason; signed out → a page
 * load goes to the sign-in form (`whenSignedOut: 'sign-in'`), anything else (a form post, a download) gets 403.
 */
export async function requireMaintainer(
  request: Request,
  services: AppServices,
  whenSignedOut: 'sign-in' | 'forbid' = 'sign-in',
): Promise<void> {
  const access = await maintainerAccess(request, services);
  if (access === 'signed-in') return;
  if (access === 'disabled') throw refusal(403, MAINTAINER_DISABLED_MESSAGE);
  if (request.method === 'GET' && whenSignedOut === 'sign-in') {
    const url = new URL(request.url);
    throw redirect(`/signin?next=${encodeURIComponent(url.pathname + url.search)}`);
  }
  throw refusal(403, 'Maintainer sign-in required.');
}

/** Only same-site paths, so the sign-in form cannot be used to bounce a visitor elsewhere. */
export function safeNextPath(next: string | null | undefined): string {
  return safeSameSitePath(next, '/maintainer/releases');
}

/** Maintainers sign in like everyone else now: this only sends them to the account sign-in. */
export async function signInMaintainer(
  _request: Request,
  _services: AppServices,
  _token: string,
  next: string,
): Promise<{ ok: true; response: Response } | { ok: false; error: string }> {
  return { ok: true, response: redirect(`/signin?next=${encodeURIComponent(safeNextPath(next))}`) };
}

export async function signOutMaintainer(request: Request, services: AppServices): Promise<Response> {
  return endSession(request, services, '/signin');
}

/**
 * Who is acting, as the audit log names them (db/queries/audit.ts): `maintainer:<email>` of the signed-in
 * maintainer. Call after requireMaintainer.
 */
export async function maintainerActor(request: Request, services: AppServices): Promise<string> {
  const user = await currentUser(request, services);
  if (!user) throw refusal(403, 'Maintainer sign-in required.');
  return `maintainer:${user.email ?? user.id}`;
}
