import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeRows } from '../../db/client';
import { listAudit, recordAudit } from '../../db/queries/audit';
import { auditCsv, parseAuditFilter } from '../../app/utils/audit-filter.server';
import { openScratchDatabase, type ScratchDatabase } from '../support/scratch-database';
import { realServicesAvailable } from '../support/services';

const servicesUp = await realServicesAvailable();
const kinds: Array<{ kind: 'pglite' | 'postgres' }> = [{ kind: 'pglite' }, ...(servicesUp ? [{ kind: 'postgres' as const }] : [])];

describe.each(kinds)('audit log on $kind', ({ kind }) => {
  let scratch: ScratchDatabase;
  beforeAll(async () => {
    scratch = await openScratchDatabase(kind);
  });
  afterAll(async () => scratch?.destroy());

  it('appends entries and reads them back filtered, newest first', async () => {
    const { db } = scratch;
    await recordAudit(db, { actor: 'maintainer:ana', action: 'release.publish', subject: 'release:Synth@1.0.0', details: { from: 'draft', to: 'published' } });
    await recordAudit(db, { actor: 'maintainer:ben', action: 'run.flag', subject: 'run:7', reason: 'endpoint changed after submission' });
    await recordAudit(db, { actor: 'team:Lab', action: 'token.create', subject: 'token:3' });
    expect((await listAudit(db)).map((e) => e.action)).toEqual(['token.create', 'run.flag', 'release.publish']);
    expect((await listAudit(db, { action: 'run.flag' })).map((e) => e.reason)).toEqual(['endpoint changed after submission']);
    expect((await listAudit(db, { actor: 'ANA' })).map((e) => e.subject)).toEqual(['release:Synth@1.0.0']);
    expect((await listAudit(db, { action: 'run.' })).length).toBe(1);
    expect(await listAudit(db, { since: new Date(Date.now() + 86_400_000) })).toEqual([]);
    const csv = auditCsv(await listAudit(db, { subject: 'run:7' }));
    expect(csv.split('\r\n')[0]).toBe('id,at,actor,action,subject,reason,details');
    expect(csv).toContain('maintainer:ben,run.flag,run:7,endpoint changed after submission');
  });

  it('refuses to change or delete an entry (append-only, enforced by the database)', async () => {
    const { db } = scratch;
    const entry = await recordAudit(db, { actor: 'maintainer:ana', action: 'run.hide', subject: 'run:9', reason: 'spam' });
    expect(await refusal(executeRows(db, sql`update audit_log set reason = 'nothing to see' where id = ${entry.id}`))).toMatch(/append-only: UPDATE/);
    expect(await refusal(executeRows(db, sql`delete from audit_log where id = ${entry.id}`))).toMatch(/append-only: DELETE/);
    expect(await refusal(executeRows(db, sql`truncate audit_log`))).toMatch(/append-only: TRUNCATE/);
    const [kept] = await listAudit(db, { subject: 'run:9' });
    expect(kept.reason).toBe('spam');
  });
});

/** The database's own message of a refused statement (drizzle wraps it as the cause). */
async function refusal(statement: Promise<unknown>): Promise<string> {
  try {
    await statement;
  } catch (e) {
    const error = e as Error & { cause?: Error };
    return `${error.message} ${error.cause?.message ?? ''}`;
  }
  return 'not refused';
}

describe('audit filter and CSV export', () => {
  it('names the field of a bad filter value', () => {
    const parsed = parseAuditFilter(new URLSearchParams({ action: 'run.explode', since: '2026-13-45', until: 'yesterday' }));
    expect(parsed.errors.action).toMatch(/Unknown action "run.explode"/);
    expect(parsed.errors.since).toMatch(/not a date/);
    expect(parsed.errors.until).toMatch(/not a date/);
  });

  it('includes the whole "until" day and defuses spreadsheet formulas', () => {
    const parsed = parseAuditFilter(new URLSearchParams({ since: '2026-12-01', until: '2026-12-01' }));
    expect(parsed.filter.since?.toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(parsed.filter.until?.toISOString()).toBe('2026-12-02T00:00:00.000Z');
    const csv = auditCsv([{ id: 1, at: new Date('2026-12-01T10:00:00Z'), actor: 'team:x', action: 'run.flag', subject: 'run:1', reason: '=HYPERLINK("x")', details: {} }]);
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
  });
});
