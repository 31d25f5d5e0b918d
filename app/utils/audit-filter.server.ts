import { AUDIT_ACTIONS, type AuditEntry, type AuditFilter } from '../../db/queries/audit';

export interface ParsedAuditFilter {
  filter: AuditFilter;
  /** The form's values, to fill it again. */
  values: Record<'action' | 'actor' | 'subject' | 'since' | 'until', string>;
  /** A problem per field, named for the form. */
  errors: Partial<Record<'action' | 'since' | 'until', string>>;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Reads the audit page's filter from its query string: action, actor, subject, since and until (UTC dates). */
export function parseAuditFilter(params: URLSearchParams): ParsedAuditFilter {
  const get = (k: string) => (params.get(k) ?? '').trim();
  const values = { action: get('action'), actor: get('actor'), subject: get('subject'), since: get('since'), until: get('until') };
  const errors: ParsedAuditFilter['errors'] = {};
  const filter: AuditFilter = {};
  if (values.action) {
    const known = (AUDIT_ACTIONS as readonly string[]).includes(values.action) || AUDIT_ACTIONS.some((a) => a.startsWith(values.action) && values.action.endsWith('.'));
    if (known) filter.action = values.action;
    else errors.action = `Unknown action "${values.action}".`;
  }
  if (values.actor) filter.actor = values.actor;
  if (values.subject) filter.subject = values.subject;
  for (const key of ['since', 'until'] as const) {
    if (!values[key]) continue;
    const date = DATE.test(values[key]) ? new Date(`${values[key]}T00:00:00Z`) : null;
    if (!date || Number.isNaN(date.getTime())) errors[key] = `"${values[key]}" is not a date (YYYY-MM-DD).`;
    // `until` names the last day included.
    else filter[key] = key === 'until' ? new Date(date.getTime() + 86_400_000) : date;
  }
  return { filter, values, errors };
}

/** One CSV field (RFC 4180), with spreadsheet formulas defused: a reason may start with "=". */
function csvField(value: unknown): string {
  let text = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function auditCsv(entries: AuditEntry[]): string {
  const header = ['id', 'at', 'actor', 'action', 'subject', 'reason', 'details'];
  const lines = entries.map((e) => [e.id, e.at.toISOString(), e.actor, e.action, e.subject, e.reason, e.details].map(csvField).join(','));
  return [header.join(','), ...lines].join('\r\n') + '\r\n';
}
