/** What an operator needs to know once the server listens, as fields (for the log record) and as lines. */
export interface StartupFacts {
  url: string;
  database: { kind: 'postgres' | 'pglite'; url?: string; dataDir: string };
  queue: { kind: 'bullmq' | 'in-process'; url?: string; role: 'web' | 'all' };
  maintainers: number;
  adminEmails: number;
  endpointAllowList: string[];
}

/** A connection string without its password (user names and hosts stay: they say which server it is). */
export function withoutPassword(connection: string): string {
  try {
    const url = new URL(connection);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '(unparsable URL)';
  }
}

export function startupSummary(facts: StartupFacts) {
  const database = facts.database.kind === 'pglite'
    ? `embedded PGlite in ${facts.database.dataDir}`
    : `PostgreSQL ${withoutPassword(facts.database.url ?? '')}`;
  const queue = facts.queue.kind === 'in-process'
    ? 'in-process (jobs run in this process)'
    : `Redis ${withoutPassword(facts.queue.url ?? '')} (${facts.queue.role === 'all' ? 'this process also runs jobs' : 'jobs run by `npm run worker`'})`;
  const maintainerArea = facts.maintainers > 0
    ? `on (${facts.maintainers} maintainer${facts.maintainers === 1 ? '' : 's'})`
    : facts.adminEmails > 0
      ? `off until one of the ${facts.adminEmails} ADMIN_EMAILS address${facts.adminEmails === 1 ? '' : 'es'} signs up and verifies`
      : 'off (no maintainer: set ADMIN_EMAILS or run `npm run accounts -- maintainer EMAIL`)';
  const allowList = facts.endpointAllowList.length > 0
    ? facts.endpointAllowList.join(', ')
    : 'empty (endpoints on private and loopback addresses are refused)';
  const fields = { url: facts.url, database, queue, maintainerArea, endpointAllowList: facts.endpointAllowList };
  const lines = [
    `SpineBench Hub ready at ${facts.url}`,
    `  database:            ${database}`,
    `  queue:               ${queue}`,
    `  maintainer area:     ${maintainerArea}`,
    `  endpoint allow-list: ${allowList}`,
  ];
  return { fields, lines };
}
