import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Item } from '../../benchmark/item-schema';
import { listBoardRunIds, loadBoardItemScores } from '../../db/queries/leaderboard';
import { commitItemResults } from '../../db/queries/runs';
import { createEndpointSubmission } from '../../db/queries/submissions';
import { items, leaderboardRows, releases } from '../../db/schema';
import { rankModels, SCORER_VERSION, scoreItem, withJudge, type ItemScore, type ReportItemScore } from '../../evaluator/scoring';
import { publishRunScore } from '../../workers/publish-run-score';
import { makeMcqItem, makeReportItem, scoredOutcome } from '../support/scoring-fixtures';
import { openScratchDatabase, type ScratchDatabase } from '../support/scratch-database';
import { realServicesAvailable } from '../support/services';
import { submitterOf } from '../support/teams';
import { asStoredItem, fixtureManifest } from '../support/stored-rows';

const servicesUp = await realServicesAvailable();

const mcqs = Array.from({ length: 40 }, (_, i) => makeMcqItem({ id: `t${i}`, inputKind: 'text', images: [] }));
const reports = Array.from({ length: 6 }, (_, i) => makeReportItem({ id: `r${i}` }));

/** A model answering `right` of the MCQ correctly (B is the key) and judged `rating` on every report. */
function modelScores(right: number, rating: number): Map<string, ItemScore> {
  const scores = new Map<string, ItemScore>();
  mcqs.forEach((item, i) => scores.set(item.id, scoreItem(item, i < right ? 'B' : 'C')));
  for (const item of reports) scores.set(item.id, withJudge(scoreItem(item, 'Diagnosis: L4-L5') as ReportItemScore, scoredOutcome(rating)));
  return scores;
}

// Without a reachable Postgres outside CI, realServicesAvailable has warned loudly; CI fails there instead.
describe.each(servicesUp ? (['postgres', 'pglite'] as const) : (['pglite'] as const))('board ranking on %s', (kind) => {
  let database: ScratchDatabase;
  const models = { strong: modelScores(38, 5), weak: modelScores(20, 2), weakTwin: modelScores(20, 2) };
  const runIds: Record<string, number> = {};
  let rankWhenAlone: number | null | undefined;
  let releaseId: number;

  beforeAll(async () => {
    database = await openScratchDatabase(kind);
    const { db } = database;
    const [release] = await db.insert(releases).values({ name: 'board', version: '1', status: 'published', contentHash: 'h', manifest: fixtureManifest('board') }).returning();
    releaseId = release.id;
    const rows = await db
      .insert(items)
      .values([...mcqs, ...reports].map((item: Item, ordinal) => ({ releaseId: release.id, itemKey: item.id, split: 'dev' as const, task: item.task, ordinal, payload: asStoredItem(item) })))
      .returning({ id: items.id, itemKey: items.itemKey });
    for (const [name, scores] of Object.entries(models)) {
      const { run } = await createEndpointSubmission(db, { ...(await submitterOf(db, name, name)), endpointUrl: 'http://x.test', endpointModel: name, releaseId: release.id, split: 'dev', scorerVersion: SCORER_VERSION, adapterSettings: {} });
      runIds[name] = run.id;
      await commitItemResults(db, rows.map((row) => {
        const detail = scores.get(row.itemKey)!;
        return { runId: run.id, itemId: row.id, rawOutput: 'x', score: detail.score, detail, scorerVersion: SCORER_VERSION };
      }));
      await publishRunScore(db, run.id);
      if (name === 'strong') [{ rank: rankWhenAlone }] = await db.select({ rank: leaderboardRows.rank }).from(leaderboardRows);
    }
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it('stores the ranks the paired bootstrap gives on the full scores', async () => {
    const stored = await database.db.select({ runId: leaderboardRows.runId, rank: leaderboardRows.rank }).from(leaderboardRows);
    const rankOf = (name: string) => stored.find((r) => r.runId === runIds[name])?.rank;
    expect([rankOf('strong'), rankOf('weak'), rankOf('weakTwin')]).toEqual([1, 2, 2]);

    const expected = rankModels(Object.entries(models).map(([name, scores]) => ({ id: String(runIds[name]), items: [...scores.values()] })));
    for (const r of expected) expect(stored.find((s) => s.runId === Number(r.id))?.rank).toBe(r.rank);
  });

  it('ranks a board of one first, without comparing', () => {
    expect(rankWhenAlone).toBe(1);
  });

  it('loads exactly the fields ranking reads, judge identity included', async () => {
    const board = await loadBoardItemScores(database.db, await listBoardRunIds(database.db, releaseId, 'dev'));
    const strong = board.find((b) => b.runId === runIds.strong)!.scores as Array<{ itemId: string }>;
    const pick = (s: ItemScore) =>
      s.task === 'mcq'
        ? { itemId: s.itemId, part: s.part, task: s.task, score: s.score, noOutput: s.noOutput, method: null, judge: null }
        : { itemId: s.itemId, part: s.part, task: s.task, score: s.score, noOutput: s.noOutput, method: s.method, judge: s.judge && { judge: s.judge.judge } };
    const expected = [...models.strong.values()].map((s) => JSON.parse(JSON.stringify(pick(s))));
    expect([...strong].sort((a, b) => a.itemId.localeCompare(b.itemId))).toEqual(expected.sort((a, b) => a.itemId.localeCompare(b.itemId)));
    expect(expected.some((s) => s.judge !== null)).toBe(true);
  });
});
