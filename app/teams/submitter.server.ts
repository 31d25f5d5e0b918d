/**
 * Who may submit from the web forms: a signed-in account with a verified address, for a team it belongs to
 * (docs/decisions/242-submissions-bound-to-teams.md). The team arrives as a form field and is checked here
 * against the account's memberships; it is never created from a typed name.
 */
import { data } from '@remix-run/node';
import { listTeamsOf, teamRoleOf } from '../../db/queries/teams';
import { requireUser, type SessionUser } from '../auth/session.server';
import type { AppServices } from '../services.server';
import type { SubmissionActor } from '../utils/submission-limits.server';

/** The signed-in, verified account and the teams it may submit for (GET: redirects to sign-in when signed out). */
export async function requireSubmittingUser(request: Request, services: AppServices) {
  const user = await requireUser(request, services, { verified: true });
  return { user, teams: await listTeamsOf(services.db, user.id) };
}

/** The actor for a posted `teamId`: 400 when it is not a team id, 403 when the account is not in that team. */
export async function submitterFor(services: AppServices, user: SessionUser, rawTeamId: unknown): Promise<SubmissionActor> {
  const teamId = typeof rawTeamId === 'string' && /^\d{1,9}$/.test(rawTeamId) ? Number(rawTeamId) : NaN;
  if (!Number.isSafeInteger(teamId) || teamId <= 0) throw data({ fieldErrors: { teamId: 'Choose one of your teams.' } }, { status: 400 });
  if (!(await teamRoleOf(services.db, user.id, teamId))) {
    throw data({ fieldErrors: { teamId: 'You are not a member of this team; submit for one of your own teams.' } }, { status: 403 });
  }
  return { teamId, userId: user.id };
}
