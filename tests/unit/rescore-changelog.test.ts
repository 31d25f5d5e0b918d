import { describe, expect, it } from 'vitest';
import type { BoardRowState } from '../../db/schema';
import { changeReasons, rescoreChangelog } from '../../workers/rescore-changelog';

const row = (over: Partial<BoardRowState> = {}): BoardRowState => ({
  runId: 1, modelId: 10, split: 'test', score: 50, ci: [40, 60], rank: 1, rankLow: 1, rankHigh: 2, released: true,
  scorerVersion: 'scorer-1+mcq.1+report.2+aggregate.3', reportScoring: 'deterministic', ...over,
});

describe('re-score changelog (pure)', () => {
  it('names each version that changed, A → B', () => {
    const before = row({ scorerVersion: 'scorer-1+mcq.1+report.1+aggregate.2', reportScoring: 'judge:p1|j@1|t0' });
    const after = row({ score: 55, reportScoring: 'judge:p1|j@2|t0' });
    expect(changeReasons(before, after)).toEqual([
      'scorer version report.1 → report.2',
      'aggregation version aggregate.2 → aggregate.3',
      'report scoring judge:p1|j@1|t0 → judge:p1|j@2|t0',
    ]);
  });

  it('says why a row moved when no version changed', () => {
    expect(changeReasons(row(), row({ score: 49 }))).toEqual(['stored outputs scored again with the same versions']);
    expect(changeReasons(row(), row({ rank: 2, rankLow: 1, rankHigh: 3 }))).toEqual(['rank moved because other rows of the board changed']);
    expect(changeReasons(row(), row({ released: false }))).toEqual(['now withheld by the Ladder']);
  });

  it('lists only rows that moved, in run order', () => {
    const before = [row({ runId: 3 }), row({ runId: 1 }), row({ runId: 2, score: 10 })];
    const after = [row({ runId: 1 }), row({ runId: 2, score: 12 }), row({ runId: 3, rank: 3 })];
    const changes = rescoreChangelog(before, after);
    expect(changes.map((c) => c.runId)).toEqual([2, 3]);
    expect(changes[0]).toMatchObject({ before: { score: 10 }, after: { score: 12 } });
    // Floating-point noise is not a change.
    expect(rescoreChangelog([row()], [row({ score: 50 + 1e-12, ci: [40 + 1e-12, 60] })])).toEqual([]);
  });
});
