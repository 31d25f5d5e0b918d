import { isFreeEmail } from 'free-email-domains-list';

export type HiddenSplitAccessRule = 'approved' | 'institutional' | 'verified';

export interface TeamAccessFacts {
  isBaseline: boolean;
  hiddenAccessApprovedAt: Date | null;
  /** Verified addresses of the team's members. */
  verifiedEmails: string[];
}

export type HiddenSplitVerdict = { ok: true; basis: string } | { ok: false; reason: string };

/** An address at an institution or company: not one of the free-mail providers anyone can open accounts at. */
export function isInstitutionalEmail(email: string): boolean {
  return !isFreeEmail(email.toLowerCase(), { allow_utf8_local_part: true });
}

/**
 * Whether a team may run the hidden split under HIDDEN_SPLIT_ACCESS (issue: hidden-split runs bound to
 * identities that are costly to multiply). Pure.
 * - `approved`: a maintainer approved the team.
 * - `institutional`: approved, or a member verified an institutional address.
 * - `verified`: approved, or a member verified any address.
 */
export function hiddenSplitVerdict(rule: HiddenSplitAccessRule, team: TeamAccessFacts): HiddenSplitVerdict {
  if (team.isBaseline) return { ok: true, basis: 'the platform’s own baselines' };
  if (team.hiddenAccessApprovedAt) return { ok: true, basis: 'approved by a maintainer' };
  if (rule === 'verified' && team.verifiedEmails.length > 0) return { ok: true, basis: 'a member verified an address' };
  if (rule === 'institutional' && team.verifiedEmails.some(isInstitutionalEmail)) {
    return { ok: true, basis: 'a member verified an institutional address' };
  }
  const how: Record<HiddenSplitAccessRule, string> = {
    approved: 'a maintainer approves the team',
    institutional: 'a member verifies an institutional address (not a free-mail provider) or a maintainer approves the team',
    verified: 'a member verifies an address or a maintainer approves the team',
  };
  return { ok: false, reason: `This team may not run the hidden split yet: on this platform that needs ${how[rule]}.` };
}
