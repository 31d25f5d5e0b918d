import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBoardEpoch } from '../../db/queries/board-epoch';
import { openScratchDatabase, type ScratchDatabase } from '../support/scratch-database';

// The triggers of migration 0013, on real Postgres and on PGlite: what a board shows moves the epoch, nothing else does.
describe.each(['postgres', 'pglite'] as const)('board epoch triggers (%s)', (kind) => {
  let database: ScratchDatabase;
  beforeAll(async () => {
    database = await openScratchDatabase(kind);
  }, 120_000);
  afterAll(async () => {
    await database?.destroy();
  });

  it('moves on a release, a team rename and a withdrawal, and stays on a run progress update', async () => {
    const { db } = database;
    const start = await readBoardEpoch(db);
    expect(start).toBeGreaterThan(0);
    await db.execute(sql`insert into releases (name, version, status, content_hash, manifest) values ('r', '1', 'published', 'h', '{}'::jsonb)`);
    const afterRelease = await readBoardEpoch(db);
    expect(afterRelease).toBeGreaterThan(start);
    await db.execute(sql`insert into teams (name) values ('Spine Lab')`);
    expect(await readBoardEpoch(db)).toBe(afterRelease);
    await db.execute(sql`update teams set name = 'Spine Lab 2'`);
    const afterRename = await readBoardEpoch(db);
    expect(afterRename).toBeGreaterThan(afterRelease);
    await db.execute(sql`update evaluation_runs set status = status`);
    expect(await readBoardEpoch(db)).toBe(afterRename);
    await db.execute(sql`update evaluation_runs set withdrawn_at = now() where false`);
    expect(await readBoardEpoch(db)).toBeGreaterThan(afterRename);
  });
});
