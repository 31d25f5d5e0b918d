import type { LoaderFunctionArgs } from '@remix-run/node';
import { data } from '@remix-run/node';
import { listAudit } from '../../db/queries/audit';
import { auditCsv, parseAuditFilter } from '../utils/audit-filter.server';
import { requireMaintainer } from '../utils/maintainer-auth.server';

/** Most entries one export holds; narrow the filter (dates) for more. */
const EXPORT_LIMIT = 100_000;

/** The audit log (as filtered on the audit page) as CSV or JSON, for maintainers only. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireMaintainer(request, context.services, 'forbid');
  const params = new URL(request.url).searchParams;
  const format = params.get('format') ?? 'csv';
  if (format !== 'csv' && format !== 'json') throw data(`format must be csv or json, not "${format}".`, { status: 400 });
  const { filter, errors } = parseAuditFilter(params);
  const problems = Object.entries(errors).map(([field, message]) => `${field}: ${message}`);
  if (problems.length > 0) throw data(problems.join(' '), { status: 400 });
  const entries = await listAudit(context.services.db, filter, { limit: EXPORT_LIMIT });
  const stamp = new Date().toISOString().slice(0, 10);
  const headers = { 'content-disposition': `attachment; filename="spinebench-audit-${stamp}.${format}"`, 'cache-control': 'no-store' };
  if (format === 'json') return Response.json(entries, { headers });
  return new Response(auditCsv(entries), { headers: { ...headers, 'content-type': 'text/csv; charset=utf-8' } });
}
