import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase, type DatabaseHandle } from '../../db/client';
import { createTestDatabase } from './services';

export interface ScratchDatabase extends DatabaseHandle {
  /** Closes the connection and drops the database (or removes the PGlite folder). */
  destroy(): Promise<void>;
}

/** A fresh, migrated database: a new Postgres database on the test server, or PGlite in a temp folder. */
export async function openScratchDatabase(kind: 'postgres' | 'pglite'): Promise<ScratchDatabase> {
  if (kind === 'pglite') {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'sbh-pglite-'));
    const handle = await openDatabase({ dataDir });
    return { ...handle, destroy: async () => { await handle.close(); await rm(dataDir, { recursive: true, force: true }); } };
  }
  const database = await createTestDatabase();
  const handle = await openDatabase({ databaseUrl: database.url, dataDir: '' });
  return {
    ...handle,
    destroy: async () => {
      await handle.close();
      await database.drop();
    },
  };
}
