import { and, desc, eq, gte, ilike, lt, type SQL } from 'drizzle-orm';
import type { Database } from '../client';
import { auditLog } from '../schema';

/** Actions the platform records. `area.verb`; new ones are added here so the console can filter by them. */
export const AUDIT_ACTIONS = [
  'release.import',
  'release.publish',
  'release.deprecate',
  'rescore.start',
  'rescore.finish',
  'run.verify',
  'run.unverify',
  'run.flag',
  'run.hide',
  'run.restore',
  'submission.withdraw',
  'quota.change',
  'token.create',
  'token.revoke',
  'model.card',
  'judge.calibrate',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntryInput {
  /** Who: `maintainer:<name>`, `team:<name>`, `user:<name>` or `system`. */
  actor: string;
  action: AuditAction;
  /** On what: `release:<name>@<version>`, `run:<id>`, `team:<name>`, `token:<id>`, ... */
  subject: string;
  /** Why, in the actor's words (required for moderation). */
  reason?: string | null;
  /** Structured facts (before/after values, counts). Never secrets, never hidden-split content. */
  details?: Record<string, unknown>;
}

/** The database or a transaction: record an action in the same transaction as the change it describes. */
export type AuditWriter = Pick<Database, 'insert'>;

export type AuditEntry = typeof auditLog.$inferSelect;

/** Appends one entry to the audit log (the table refuses updates and deletes). */
export async function recordAudit(db: AuditWriter, entry: AuditEntryInput): Promise<AuditEntry> {
  if (!entry.actor.trim()) throw new Error('recordAudit: actor is empty');
  if (!entry.subject.trim()) throw new Error('recordAudit: subject is empty');
  const [row] = await db
    .insert(auditLog)
    .values({ actor: entry.actor, action: entry.action, subject: entry.subject, reason: entry.reason?.trim() || null, details: entry.details ?? {} })
    .returning();
  return row;
}

export interface AuditFilter {
  action?: string;
  /** Substring of the actor. */
  actor?: string;
  /** Substring of the subject. */
  subject?: string;
  /** Inclusive lower bound. */
  since?: Date;
  /** Exclusive upper bound. */
  until?: Date;
}

function conditions(filter: AuditFilter): SQL | undefined {
  const escape = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const parts: (SQL | undefined)[] = [
    filter.action ? (filter.action.endsWith('.') ? ilike(auditLog.action, `${filter.action}%`) : eq(auditLog.action, filter.action)) : undefined,
    filter.actor ? ilike(auditLog.actor, escape(filter.actor)) : undefined,
    filter.subject ? ilike(auditLog.subject, escape(filter.subject)) : undefined,
    filter.since ? gte(auditLog.at, filter.since) : undefined,
    filter.until ? lt(auditLog.at, filter.until) : undefined,
  ];
  return and(...parts.filter(Boolean));
}

/** Entries matching the filter, newest first. */
export async function listAudit(db: Database, filter: AuditFilter = {}, page: { limit?: number; offset?: number } = {}): Promise<AuditEntry[]> {
  return db
    .select()
    .from(auditLog)
    .where(conditions(filter))
    .orderBy(desc(auditLog.id))
    .limit(page.limit ?? 100)
    .offset(page.offset ?? 0);
}
