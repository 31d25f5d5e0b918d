import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitItemResults, getRunStatus, listItemResults } from '../../db/queries/runs';
import { createEndpointSubmission } from '../../db/queries/submissions';
import { items, releases } from '../../db/schema';
import { executeRows } from '../../db/client';
import { SCORER_VERSION, scoreItem } from '../../evaluator/scoring';
import { makeMcqItem } from '../support/scoring-fixtures';
import { openScratchDatabase, type ScratchDatabase } from '../support/scratch-database';
import { realServicesAvailable } from '../support/services';
import { submitterOf } from '../support/teams';
import { asStoredItem, fixtureManifest } from '../support/stored-rows';

const servicesUp = await realServicesAvailable();

// Without a reachable Postgres outside CI, realServicesAvailable has warned loudly; CI fails there instead.
describe.each(servicesUp ? (['postgres', 'pglite'] as const) : (['pglite'] as const))('item result commits on %s', (kind) => {
  let database: ScratchDatabase;
  let runId: number;
  let itemIds: number[];

  beforeAll(async () => {
    database = await openScratchDatabase(kind);
    const { db } = database;
    const [release] = await db.insert(releases).values({ name: 'commits', version: '1', status: 'published', contentHash: 'h', manifest: fixtureManifest('commits') }).returning();
    const rows = await db
      .insert(items)
      .values([0, 1, 2, 3].map((n) => ({ releaseId: release.id, itemKey: `m${n}`, split: 'dev' as const, task: 'mcq' as const, ordinal: n, payload: asStoredItem(makeMcqItem({ id: `m${n}` })) })))
      .returning({ id: items.id });
    itemIds = rows.map((r) => r.id);
    const { run } = await createEndpointSubmission(db, { ...(await submitterOf(db, 't', 'm')), endpointUrl: 'http://x.test', endpointModel: 'm', releaseId: release.id, split: 'dev', scorerVersion: SCORER_VERSION, adapterSettings: {} });
    runId = run.id;
  });
  afterAll(async () => {
    await database?.destroy();
  });

  const result = (itemId: number, output: string | null) => {
    const scored = scoreItem(makeMcqItem(), output);
    return { runId, itemId, rawOutput: output, score: scored.score, detail: scored, scorerVersion: scored.scorerVersion };
  };

  it('commits each item once, counts it once, and keeps its detail as a JSON object', async () => {
    const { db } = database;
    expect(await commitItemResults(db, [result(itemIds[0], 'B'), result(itemIds[1], 'It is "C" — naïve ✓')])).toBe(2);
    // A re-delivered batch: the committed item is skipped, the new one counted.
    expect(await commitItemResults(db, [result(itemIds[1], 'again'), result(itemIds[2], null)])).toBe(3);
    expect((await getRunStatus(db, runId))?.doneItems).toBe(3);

    const stored = new Map((await listItemResults(db, runId)).map((r) => [r.itemId, r]));
    expect(stored.size).toBe(3);
    expect(stored.get(itemIds[1])?.rawOutput).toBe('It is "C" — naïve ✓');
    expect(stored.get(itemIds[2])?.rawOutput).toBeNull();
    expect(stored.get(itemIds[0])?.detail).toEqual(JSON.parse(JSON.stringify(result(itemIds[0], 'B').detail)));
    const types = await executeRows<{ t: string }>(db, sql`select distinct jsonb_typeof(detail) as t from item_results where run_id = ${runId}`);
    expect(types.map((r) => r.t)).toEqual(['object']);
  });

  it('writes nothing when one row of a batch is invalid', async () => {
    const { db } = database;
    const before = (await getRunStatus(db, runId))?.doneItems;
    // 999999 is no item: the foreign key fails, and the valid row beside it is not written either.
    await expect(commitItemResults(db, [result(itemIds[3], 'A'), result(999_999, 'A')])).rejects.toThrow();
    expect((await getRunStatus(db, runId))?.doneItems).toBe(before);
    expect((await listItemResults(db, runId)).map((r) => r.itemId)).not.toContain(itemIds[3]);
  });
});
