import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { executeRows, type Database } from './client';

const journalPath = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations', 'meta', '_journal.json');

export interface MigrationStatus {
  /** Migrations this code ships (db/migrations/meta/_journal.json). */
  known: number;
  /** Tags of shipped migrations the database has not applied. */
  pending: string[];
}

/**
 * Which of this code's migrations the database lacks. drizzle's migrator records each applied migration's
 * journal time in drizzle.__drizzle_migrations and applies only those newer than the latest one recorded,
 * so a migration is pending when its time is after that latest one.
 */
export async function migrationStatus(db: Database): Promise<MigrationStatus> {
  const journal = JSON.parse(await readFile(journalPath, 'utf8')) as { entries: Array<{ tag: string; when: number }> };
  let latest = -Infinity;
  try {
    const [row] = await executeRows<{ latest: string | number | null }>(
      db,
      sql`select max(created_at) as latest from drizzle.__drizzle_migrations`,
    );
    latest = row?.latest == null ? -Infinity : Number(row.latest);
  } catch {
    // No migrations table: nothing was ever applied.
  }
  return { known: journal.entries.length, pending: journal.entries.filter((e) => e.when > latest).map((e) => e.tag) };
}
