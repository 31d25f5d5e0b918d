import { describe, expect, it } from 'vitest';
import { hiddenSplitVerdict, isInstitutionalEmail } from '../../app/auth/hidden-split-access';

const team = (verifiedEmails: string[], approved = false) => ({ isBaseline: false, hiddenAccessApprovedAt: approved ? new Date() : null, verifiedEmails });

describe('hidden-split access', () => {
  it('tells institutional addresses from free-mail ones', () => {
    expect(isInstitutionalEmail('a.researcher@uni-heidelberg.de')).toBe(true);
    expect(isInstitutionalEmail('someone@gmail.com')).toBe(false);
    expect(isInstitutionalEmail('Someone@GMAIL.COM')).toBe(false);
    expect(isInstitutionalEmail('x@outlook.com')).toBe(false);
  });

  it('institutional: a verified institutional member or approval; free mail alone is not enough', () => {
    expect(hiddenSplitVerdict('institutional', team([])).ok).toBe(false);
    expect(hiddenSplitVerdict('institutional', team(['me@gmail.com'])).ok).toBe(false);
    expect(hiddenSplitVerdict('institutional', team(['me@gmail.com', 'pi@spine.example.edu'])).ok).toBe(true);
    expect(hiddenSplitVerdict('institutional', team(['me@gmail.com'], true))).toEqual({ ok: true, basis: 'approved by a maintainer' });
  });

  it('approved: only approval; verified: any verified member', () => {
    expect(hiddenSplitVerdict('approved', team(['pi@spine.example.edu'])).ok).toBe(false);
    expect(hiddenSplitVerdict('approved', team([], true)).ok).toBe(true);
    expect(hiddenSplitVerdict('verified', team(['me@gmail.com'])).ok).toBe(true);
    expect(hiddenSplitVerdict('verified', team([])).ok).toBe(false);
  });

  it('refusals say what the rule needs', () => {
    const verdict = hiddenSplitVerdict('institutional', team([]));
    expect(verdict.ok === false && verdict.reason).toContain('institutional address');
  });
});
