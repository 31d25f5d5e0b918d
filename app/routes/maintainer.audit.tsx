import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { AUDIT_ACTIONS, listAudit } from '../../db/queries/audit';
import { ConsoleNav } from '../components/console-nav';
import { parseAuditFilter } from '../utils/audit-filter.server';
import { requireMaintainer } from '../utils/maintainer-auth.server';

export const meta: MetaFunction = () => [{ title: 'Audit log · Maintainer · SpineBench Hub' }];

const PAGE_SIZE = 100;

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireMaintainer(request, context.services);
  const url = new URL(request.url);
  const { filter, values, errors } = parseAuditFilter(url.searchParams);
  const page = Math.max(1, Number(url.searchParams.get('page')) || 1);
  const valid = Object.keys(errors).length === 0;
  const rows = valid ? await listAudit(context.services.db, filter, { limit: PAGE_SIZE + 1, offset: (page - 1) * PAGE_SIZE }) : [];
  const query = new URLSearchParams(Object.entries(values).filter(([, v]) => v)).toString();
  return {
    values,
    errors,
    page,
    query,
    hasMore: rows.length > PAGE_SIZE,
    entries: rows.slice(0, PAGE_SIZE).map((e) => ({ ...e, at: e.at.toISOString(), details: JSON.stringify(e.details) })),
  };
}

export default function AuditLog() {
  const { values, errors, entries, page, query, hasMore } = useLoaderData<typeof loader>();
  const pageLink = (p: number) => `?${query ? `${query}&` : ''}page=${p}`;
  const exportLink = (format: 'csv' | 'json') => `/maintainer/audit/export?${query ? `${query}&` : ''}format=${format}`;
  return (
    <>
      <h1>Audit log</h1>
      <ConsoleNav />
      <p className="note">
        Every maintainer and team action (publish, deprecate, re-score, moderation, withdrawal, quota change, token creation):
        who, when, what and why. The log is append-only: the database refuses to change or delete an entry.
      </p>
      <Form method="get" className="filters" aria-label="Filter the audit log">
        <label>
          Action
          <select name="action" defaultValue={values.action} aria-invalid={errors.action ? true : undefined} aria-describedby={errors.action ? 'action-error' : undefined}>
            <option value="">Any</option>
            {AUDIT_ACTIONS.map((a) => <option key={a} value={a}>{a}</option>)}
          </select>
          {errors.action ? <span id="action-error" className="field-error">Action: {errors.action}</span> : null}
        </label>
        <label>
          Actor contains
          <input name="actor" defaultValue={values.actor} />
        </label>
        <label>
          Subject contains
          <input name="subject" defaultValue={values.subject} placeholder="run:12, release:…" />
        </label>
        <label>
          From (UTC date)
          <input name="since" type="date" defaultValue={values.since} aria-invalid={errors.since ? true : undefined} aria-describedby={errors.since ? 'since-error' : undefined} />
          {errors.since ? <span id="since-error" className="field-error">From: {errors.since}</span> : null}
        </label>
        <label>
          To (UTC date, included)
          <input name="until" type="date" defaultValue={values.until} aria-invalid={errors.until ? true : undefined} aria-describedby={errors.until ? 'until-error' : undefined} />
          {errors.until ? <span id="until-error" className="field-error">To: {errors.until}</span> : null}
        </label>
        <button type="submit">Filter</button>
      </Form>
      <p>
        Export what this filter shows: <a href={exportLink('csv')} download>CSV</a> · <a href={exportLink('json')} download>JSON</a>
      </p>
      <div className="table-scroll">
        <table data-testid="audit-log">
          <thead><tr><th>When (UTC)</th><th>Who</th><th>Action</th><th>Subject</th><th>Why</th><th>Details</th></tr></thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id} data-action={e.action}>
                <td><time dateTime={e.at}>{e.at.replace('T', ' ').slice(0, 19)}</time></td>
                <td>{e.actor}</td>
                <td><code>{e.action}</code></td>
                <td>{e.subject}</td>
                <td>{e.reason ?? ''}</td>
                <td><code className="details">{e.details === '{}' ? '' : e.details}</code></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {entries.length === 0 ? <p>No entries match.</p> : null}
      <p>
        {page > 1 ? <Link to={pageLink(page - 1)}>Newer</Link> : null} {hasMore ? <Link to={pageLink(page + 1)}>Older</Link> : null}
      </p>
    </>
  );
}
