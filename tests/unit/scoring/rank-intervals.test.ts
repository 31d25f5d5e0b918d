import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../evaluator/scoring/bootstrap';
import { rankModels, type RankableScore } from '../../../evaluator/scoring/ranking';

/**
 * Seeded simulation of the simultaneous rank intervals (issue 12 item 2, docs/decisions/130) on SpineBench-sized
 * boards: 294 text MCQ, 193 image MCQ and 87 reports per model. Each board draws fresh answers; ranks use a modest
 * bootstrap (200 resamples) to keep the test fast — the critical value's own Monte-Carlo error at 200 resamples
 * moves coverage by about ±1 point. With 200 boards, a true rate of 0.95 is estimated within ±0.015 (one standard
 * error), so the 0.90 thresholds below sit more than three standard errors under the target.
 */
const BOARDS = 200;
const RESAMPLES = 200;
const PARTS: Array<[RankableScore['part'], number]> = [['text_mcq', 294], ['image_mcq', 193], ['report', 87]];

/** One model's item scores with true accuracy (and mean report score) p. Reports: 20 × (1 + 4·Binomial(4, q)/4)-like. */
function simulateModel(p: number, random: () => number): RankableScore[] {
  const items: RankableScore[] = [];
  for (const [part, n] of PARTS) {
    for (let i = 0; i < n; i++) {
      const itemId = `${part}-${String(i).padStart(3, '0')}`;
      if (part === 'report') {
        // ten 1–5 ratings with mean 1 + 4q, where 20 (1 + 4q) = 100p; the score is 20 × their mean (0–100 scale)
        const q = (5 * p - 1) / 4;
        let total = 0;
        for (let d = 0; d < 10; d++) for (let t = 0; t < 4; t++) total += random() < q ? 1 : 0;
        items.push({ itemId, part, task: 'report', score: 20 * (1 + total / 10), noOutput: false, method: 'deterministic', judge: null });
      } else {
        items.push({ itemId, part, task: 'mcq', score: random() < p ? 1 : 0, noOutput: false });
      }
    }
  }
  return items;
}

describe('simultaneous rank intervals (seeded simulation)', () => {
  it('identical models: every rank interval contains 1 on at least 90% of boards (10 models)', () => {
    const random = seededRandom(12_001);
    let allContainOne = 0;
    for (let b = 0; b < BOARDS; b++) {
      const models = Array.from({ length: 10 }, (_, m) => ({ id: `m${m}`, items: simulateModel(0.7, random) }));
      const ranked = rankModels(models, { resamples: RESAMPLES, seed: 1_000 + b });
      if (ranked.every((r) => r.rankLow === 1)) allContainOne++;
    }
    const rate = allContainOne / BOARDS;
    console.log(`identical models: every interval contains 1 on ${(100 * rate).toFixed(1)}% of ${BOARDS} boards`);
    expect(rate).toBeGreaterThanOrEqual(0.9);
  });

  it('models 10 points apart on 574 items: their rank intervals are separated on at least 90% of boards', () => {
    const random = seededRandom(12_002);
    let separated = 0;
    for (let b = 0; b < BOARDS; b++) {
      const ranked = rankModels(
        [
          { id: 'better', items: simulateModel(0.8, random) },
          { id: 'worse', items: simulateModel(0.7, random) },
        ],
        { resamples: RESAMPLES, seed: 2_000 + b },
      );
      const [top, bottom] = ranked;
      if (top.id === 'better' && top.rankHigh < bottom.rankLow) separated++;
    }
    const rate = separated / BOARDS;
    console.log(`10 points apart: separated on ${(100 * rate).toFixed(1)}% of ${BOARDS} boards`);
    expect(rate).toBeGreaterThanOrEqual(0.9);
  });
});
