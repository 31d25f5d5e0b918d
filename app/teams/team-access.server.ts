import { data } from '@remix-run/node';
import { findTeam, teamRoleOf, verifiedMemberEmails, type TeamRole, type TeamRow } from '../../db/queries/teams';
import { hiddenSplitVerdict, type HiddenSplitVerdict } from '../auth/hidden-split-access';
import { requireUser, type SessionUser } from '../auth/session.server';
import type { AppServices } from '../services.server';

export interface TeamAccess {
  user: SessionUser;
  team: TeamRow;
  /** The user's role in the team; `maintainer` when a platform maintainer looks at a team they are not in. */
  role: TeamRole | 'maintainer';
}

/** A team id from a route parameter or form field; 404 unless it is a plain positive integer. */
export function parseTeamId(raw: string | undefined | null): number {
  const id = /^\d{1,9}$/.test(raw ?? '') ? Number(raw) : NaN;
  if (!Number.isSafeInteger(id) || id <= 0) throw data('No such team.', { status: 404 });
  return id;
}

/**
 * The signed-in user's access to a team: members (or, with `owner`, owners only); platform maintainers may look
 * but only where `allowMaintainer`. Everyone else gets 403 (404 for a team that does not exist).
 */
export async function requireTeamAccess(
  request: Request,
  services: AppServices,
  teamId: number,
  opts: { owner?: boolean; allowMaintainer?: boolean; verified?: boolean } = {},
): Promise<TeamAccess> {
  const user = await requireUser(request, services, { verified: opts.verified });
  const team = await findTeam(services.db, teamId);
  if (!team) throw data('No such team.', { status: 404 });
  const role = await teamRoleOf(services.db, user.id, teamId);
  if (role && (!opts.owner || role === 'owner')) return { user, team, role };
  if (opts.allowMaintainer && user.role === 'maintainer' && user.emailVerified) return { user, team, role: 'maintainer' };
  throw data(opts.owner && role ? 'Only the team’s owners may do this.' : 'You are not a member of this team.', { status: 403 });
}

/** Whether the team may run the hidden split now (HIDDEN_SPLIT_ACCESS), and why (not). */
export async function teamHiddenSplitVerdict(services: Pick<AppServices, 'db' | 'config'>, team: TeamRow): Promise<HiddenSplitVerdict> {
  return hiddenSplitVerdict(services.config.hiddenSplitAccess, {
    isBaseline: team.isBaseline,
    hiddenAccessApprovedAt: team.hiddenAccessApprovedAt,
    verifiedEmails: await verifiedMemberEmails(services.db, team.id),
  });
}
