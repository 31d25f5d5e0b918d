import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import type { SQL } from 'drizzle-orm';
import * as schema from './schema';

export type Database = ReturnType<typeof drizzlePostgres<typeof schema>>;

export interface DatabaseHandle {
  db: Database;
  kind: 'postgres' | 'pglite';
  close(): Promise<void>;
}

/** Rows of a raw statement: postgres.js answers with an array of rows, PGlite with `{ rows }`. */
export async function executeRows<T>(db: Database, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as T[] | { rows: T[] };
  return Array.isArray(result) ? result : result.rows;
}

const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/**
 * Opens the database and applies pending migrations.
 * `DATABASE_URL` set → postgres.js; unset → embedded PGlite in `<dataDir>/pglite`.
 * Both drivers share the schema and the query builder, so callers never branch on the kind.
 */
export async function openDatabase(opts: { databaseUrl?: string; dataDir: string }): Promise<DatabaseHandle> {
  if (opts.databaseUrl) {
    const client = postgres(opts.databaseUrl, { max: 10, onnotice: () => {} });
    const db = drizzlePostgres(client, { schema });
    await migratePostgres(db, { migrationsFolder });
    return { db, kind: 'postgres', close: () => client.end({ timeout: 5 }) };
  }
  const folder = path.join(opts.dataDir, 'pglite');
  mkdirSync(folder, { recursive: true });
  const client = new PGlite(folder);
  const db = drizzlePglite(client, { schema });
  await migratePglite(db, { migrationsFolder });
  // The PGlite and postgres.js drizzle databases expose the same query builder; one type serves both.
  return { db: db as unknown as Database, kind: 'pglite', close: () => client.close() };
}
