/**
 * Coverage of the score intervals (docs/decisions/129), by seeded simulation with the platform's own interval
 * function (`bootstrapMeanInterval`, what aggregateRun uses). For each true score p (0.5, 0.85, 0.97 of 100) and each
 * part of a SpineBench-sized test set — text MCQ (294 items), image MCQ (193), report (87), MCQ (487) and overall
 * (574) — it draws many test sets, computes the 95% interval and counts how often it holds the truth.
 * MCQ items are right with probability p. A report's score is 20 × the mean of 5 section means of ten ratings
 * 1 + Binomial(4, q) with 20 (1 + 4q) = 100p, so report scores pile up against the ceiling as the paper's do.
 * The old percentile bootstrap is printed beside it for comparison. Goal: ≥ 0.93 everywhere.
 *
 *   npx tsx perf/interval-coverage.ts [sets per cell, default 1000] [resamples, default 2000]
 *
 * Monte-Carlo error of a coverage estimate near 0.95 from 1000 sets: ±0.007 (one standard error).
 */
import { bootstrapMeanInterval, percentileInterval, seededRandom, seedFor } from '../evaluator/scoring/bootstrap';
import { resampleMeans } from '../evaluator/scoring/resample';
import { scoreRubric, REPORT_DIMENSIONS, type ReportDimension } from '../evaluator/scoring/report-rubric';

const SETS = Number(process.argv[2] ?? 1000);
const RESAMPLES = Number(process.argv[3] ?? 2000);
const N = { text: 294, image: 193, report: 87 };
const random = seededRandom(20_251_204);

function mcqValues(n: number, p: number): Float64Array {
  return Float64Array.from({ length: n }, () => (random() < p ? 100 : 0));
}
function binomial(trials: number, q: number): number {
  let k = 0;
  for (let i = 0; i < trials; i++) if (random() < q) k++;
  return k;
}
function reportValues(n: number, p: number): Float64Array {
  const q = (5 * p - 1) / 4; // mean report score 20 (1 + 4q) = 100p
  return Float64Array.from({ length: n }, () => {
    const dims = Object.fromEntries(REPORT_DIMENSIONS.map((d) => [d, 1 + binomial(4, q)])) as Record<ReportDimension, number>;
    return scoreRubric(dims).score;
  });
}
const PARTS = ['text_mcq', 'image_mcq', 'report', 'mcq', 'overall'] as const;
function strataFor(part: (typeof PARTS)[number], t: Float64Array, i: Float64Array, r: Float64Array): Float64Array[] {
  return { text_mcq: [t], image_mcq: [i], report: [r], mcq: [t, i], overall: [t, i, r] }[part];
}
/** True mean of each part at p: MCQ and report both have mean 100p. */
const covers = ([lo, hi]: [number, number], truth: number) => lo <= truth + 1e-9 && truth <= hi + 1e-9;

console.log(`interval coverage, ${SETS} simulated test sets per cell, ${RESAMPLES} resamples, 95% intervals`);
console.log('part        p      new (Wilson / BCa)   old (percentile)   mean width new / old');
let worst = 1;
for (const p of [0.5, 0.85, 0.97]) {
  const hits = Object.fromEntries(PARTS.map((k) => [k, { now: 0, old: 0, widthNow: 0, widthOld: 0 }]));
  for (let s = 0; s < SETS; s++) {
    const t = mcqValues(N.text, p);
    const i = mcqValues(N.image, p);
    const r = reportValues(N.report, p);
    for (const part of PARTS) {
      const strata = strataFor(part, t, i, r);
      const seed = seedFor(20_251_003, `${part}:${s}`);
      const now = bootstrapMeanInterval(strata, { resamples: RESAMPLES, seed });
      const [draws] = resampleMeans(strata.map((v) => [v]), RESAMPLES, seed);
      const old = percentileInterval(draws, 0.95);
      const h = hits[part];
      if (covers(now, 100 * p)) h.now++;
      if (covers(old, 100 * p)) h.old++;
      h.widthNow += now[1] - now[0];
      h.widthOld += old[1] - old[0];
    }
  }
  for (const part of PARTS) {
    const h = hits[part];
    worst = Math.min(worst, h.now / SETS);
    console.log(
      `${part.padEnd(11)} ${p.toFixed(2)}   ${(h.now / SETS).toFixed(3).padStart(8)}            ${(h.old / SETS).toFixed(3).padStart(8)}          ${(h.widthNow / SETS).toFixed(2)} / ${(h.widthOld / SETS).toFixed(2)}`,
    );
  }
}
console.log(`lowest coverage of the new intervals: ${worst.toFixed(3)} (goal ≥ 0.93; ±${(Math.sqrt(0.95 * 0.05 / SETS)).toFixed(3)} Monte-Carlo s.e.)`);
