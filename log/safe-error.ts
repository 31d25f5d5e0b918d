/**
 * An error's message fit for a log line: a failed database query (drizzle's "Failed query: … params: …") is
 * reported by its cause alone, since its SQL parameters can hold hidden items and model answers. Pure.
 */
export function loggableMessage(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  if (isFailedQuery(e)) {
    const cause = e.cause as { code?: string; message?: string } | undefined;
    return `database query failed${cause?.code ? ` (${cause.code})` : ''}: ${cause?.message ?? 'no cause given'}`;
  }
  return e.message;
}

export function isFailedQuery(e: Error): boolean {
  return e.message.startsWith('Failed query:');
}
