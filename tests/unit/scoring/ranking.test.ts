import { describe, expect, it } from 'vitest';
import { rankModels } from '../../../evaluator/scoring/ranking';
import { scoreItem, type ItemScore } from '../../../evaluator/scoring/item-score';
import { seededRandom } from '../../../evaluator/scoring/bootstrap';
import { makeMcqItem } from '../../support/scoring-fixtures';

const N = 400;
const items = Array.from({ length: N }, (_, i) => makeMcqItem({ id: `q${String(i).padStart(3, '0')}`, inputKind: i % 3 === 0 ? 'image' : 'text' }));

/** A model that answers item i right with probability p (seeded, so the run is fixed). */
function model(p: number, seed: number): ItemScore[] {
  const random = seededRandom(seed);
  return items.map((item) => scoreItem(item, random() < p ? 'B' : 'C'));
}

/** A model equal to `base` except on `flips` items it gets wrong where base was right. */
function nearCopy(base: ItemScore[], flips: number): ItemScore[] {
  let left = flips;
  return base.map((s, i) => {
    if (left > 0 && s.score === 1) {
      left--;
      return scoreItem(items[i], 'C');
    }
    return s;
  });
}

describe('rankModels (paired bootstrap)', () => {
  const strong = model(0.9, 1);
  const mid = model(0.7, 2);
  const midTwin = nearCopy(mid, 2); // 0.5 points lower: not significant
  const weak = model(0.5, 3);

  it('ranks by score and gives overlapping rank intervals to models that are not significantly apart', () => {
    const ranked = rankModels(
      [
        { id: 'mid', items: mid },
        { id: 'weak', items: weak },
        { id: 'strong', items: strong },
        { id: 'mid-twin', items: midTwin },
      ],
      { resamples: 1000 },
    );
    expect(ranked.map((r) => [r.id, r.rank, r.rankLow, r.rankHigh])).toEqual([
      ['strong', 1, 1, 1],
      ['mid', 2, 2, 3],
      ['mid-twin', 3, 2, 3],
      ['weak', 4, 4, 4],
    ]);
    const strongRow = ranked[0];
    expect(strongRow.ci[0]).toBeLessThan(strongRow.score);
    expect(strongRow.ci[1]).toBeGreaterThan(strongRow.score);
  });

  it('separates a consistent small difference that an unpaired comparison would miss', () => {
    // 12 items (3 points) worse on exactly the same items: the paired difference never crosses 0
    const ranked = rankModels([
      { id: 'a', items: mid },
      { id: 'b', items: nearCopy(mid, 12) },
    ]);
    expect(ranked.map((r) => [r.rank, r.rankLow, r.rankHigh])).toEqual([
      [1, 1, 1],
      [2, 2, 2],
    ]);
    // yet their individual intervals overlap
    expect(ranked[1].ci[1]).toBeGreaterThan(ranked[0].ci[0]);
  });

  it('is deterministic and order-independent', () => {
    const input = [
      { id: 'x', items: mid },
      { id: 'y', items: weak },
    ];
    const a = rankModels(input, { resamples: 300 });
    const b = rankModels([...input].reverse().map((m) => ({ ...m, items: [...m.items].reverse() })), { resamples: 300 });
    expect(b).toEqual(a);
  });

  it('refuses to rank runs over different items', () => {
    expect(() => rankModels([{ id: 'a', items: mid }, { id: 'b', items: mid.slice(1) }])).toThrow(/same items/);
    expect(() => rankModels([{ id: 'a', items: mid }, { id: 'a', items: mid }])).toThrow(/twice/);
  });
});

describe('rankModels and unscored reports (decision 131)', () => {
  it('ranks each model on the items its row is scored on: a report the judge failed on is left out of that model only', async () => {
    const { aggregateRun } = await import('../../../evaluator/scoring/aggregate');
    const { withJudge } = await import('../../../evaluator/scoring/item-score');
    const { judgeIdentity } = await import('../../../evaluator/judge/config');
    const { makeReportItem, scoredOutcome, JUDGE } = await import('../../support/scoring-fixtures');
    const reports = Array.from({ length: 6 }, (_, i) => makeReportItem({ id: `r${i}` }));
    const judged = (ratings: number[], failAt: number | null) =>
      reports.map((item, i) => {
        const base = scoreItem(item, 'Diagnosis: L4-L5 disc herniation.') as Extract<ItemScore, { task: 'report' }>;
        if (i === failAt) return withJudge(base, { status: 'failed', judge: judgeIdentity(JUDGE), attempts: 3, code: 'timeout', message: 'judge did not answer' });
        return withJudge(base, scoredOutcome(ratings[i]));
      });
    const a = judged([5, 4, 3, 5, 4, 3], 2);
    const b = judged([3, 3, 3, 3, 3, 3], null);
    const ranked = rankModels([{ id: 'a', items: a }, { id: 'b', items: b }], { resamples: 200 });
    const scoreOf = (id: string) => ranked.find((r) => r.id === id)!.score;
    expect(scoreOf('a')).toBeCloseTo(aggregateRun(a, { resamples: 50 }).overall!.score, 10);
    expect(scoreOf('b')).toBeCloseTo(aggregateRun(b, { resamples: 50 }).overall!.score, 10);
    expect(aggregateRun(a, { resamples: 50 }).unscored.count).toBe(1);
  });
});
