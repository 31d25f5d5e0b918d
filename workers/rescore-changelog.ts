import type { BoardRowState } from '../db/schema';

/** One row of a re-score's public changelog (docs/decisions/282-rescore-changelog.md). */
export interface RescoreChange {
  runId: number;
  modelId: number;
  split: 'dev' | 'test';
  before: BoardRowState | null;
  after: BoardRowState | null;
  reasons: string[];
}

/** A scorer version is `scorer-N+<metric>.<v>+…+aggregate.<v>` (evaluator/scoring/version.ts). */
function versionParts(version: string) {
  const parts = version.split('+');
  const aggregation = parts.find((p) => p.startsWith('aggregate.')) ?? null;
  return { aggregation, scorer: parts.filter((p) => p !== aggregation) };
}

/** The score moved by less than this (0..100 scale) counts as unmoved: floating-point noise is not news. */
const SCORE_EPSILON = 1e-9;

const sameCi = (a: [number, number] | null, b: [number, number] | null) =>
  a === b || (a !== null && b !== null && Math.abs(a[0] - b[0]) < SCORE_EPSILON && Math.abs(a[1] - b[1]) < SCORE_EPSILON);

/**
 * Why a row moved, in words: which of scorer, aggregation and judge versions changed (A → B), or, where none did,
 * that the stored outputs were scored again or that other rows moved its rank. Pure.
 */
export function changeReasons(before: BoardRowState | null, after: BoardRowState | null): string[] {
  if (!before || !after) return [before ? 'left the board after re-scoring' : 'new on the board after re-scoring'];
  const reasons: string[] = [];
  const a = versionParts(before.scorerVersion);
  const b = versionParts(after.scorerVersion);
  const removed = a.scorer.filter((p) => !b.scorer.includes(p));
  const added = b.scorer.filter((p) => !a.scorer.includes(p));
  if (removed.length > 0 || added.length > 0) reasons.push(`scorer version ${removed.join('+') || '—'} → ${added.join('+') || '—'}`);
  if (a.aggregation !== b.aggregation) reasons.push(`aggregation version ${a.aggregation ?? '—'} → ${b.aggregation ?? '—'}`);
  if (before.reportScoring !== after.reportScoring) reasons.push(`report scoring ${before.reportScoring} → ${after.reportScoring}`);
  const scoreMoved = Math.abs(before.score - after.score) >= SCORE_EPSILON || !sameCi(before.ci, after.ci);
  if (reasons.length === 0 && scoreMoved) reasons.push('stored outputs scored again with the same versions');
  if (!scoreMoved && (before.rank !== after.rank || before.rankLow !== after.rankLow || before.rankHigh !== after.rankHigh)) {
    reasons.push('rank moved because other rows of the board changed');
  }
  if (before.released !== after.released) reasons.push(after.released ? 'now shown (the Ladder released it)' : 'now withheld by the Ladder');
  return reasons;
}

/** Whether anything the public sees of a row differs. */
function moved(before: BoardRowState | null, after: BoardRowState | null): boolean {
  if (!before || !after) return before !== after;
  return (
    Math.abs(before.score - after.score) >= SCORE_EPSILON ||
    !sameCi(before.ci, after.ci) ||
    before.rank !== after.rank ||
    before.rankLow !== after.rankLow ||
    before.rankHigh !== after.rankHigh ||
    before.released !== after.released ||
    before.scorerVersion !== after.scorerVersion ||
    before.reportScoring !== after.reportScoring
  );
}

/** The changelog of a re-score: every row whose score, interval, rank, visibility or versions moved. Pure. */
export function rescoreChangelog(before: BoardRowState[], after: BoardRowState[]): RescoreChange[] {
  const old = new Map(before.map((r) => [r.runId, r]));
  const now = new Map(after.map((r) => [r.runId, r]));
  const runIds = [...new Set([...old.keys(), ...now.keys()])].sort((x, y) => x - y);
  const changes: RescoreChange[] = [];
  for (const runId of runIds) {
    const b = old.get(runId) ?? null;
    const a = now.get(runId) ?? null;
    if (!moved(b, a)) continue;
    const any = (a ?? b)!;
    changes.push({ runId, modelId: any.modelId, split: any.split, before: b, after: a, reasons: changeReasons(b, a) });
  }
  return changes;
}
