/**
 * The fair queue (docs/decisions/283-fair-queue.md), pure: dev-split sanity runs go before hidden-split runs (a
 * person is waiting on them), and within a split the teams take turns: a run's turn is how many runs of its team
 * on the same split were waiting or running when it was submitted (db/queries/queue-lanes.ts), so one team's ten
 * runs do not starve another team's one. BullMQ gets the same order as job priorities.
 */

/** Where a run waits: its split, its team and its turn. */
export interface RunLane {
  split: 'dev' | 'test';
  teamId: number;
  turn: number;
}

export interface WaitingRun extends RunLane {
  runId: number;
}

/** BullMQ priorities: lower runs sooner; the hidden split's start after every dev turn (BullMQ allows up to 2^21). */
const DEV_BASE = 1;
const HIDDEN_BASE = 10_000;
const MAX_TURN = 9_998;

/** The BullMQ job priority of a run with that split and turn. */
export function jobPriority(split: 'dev' | 'test', turn: number): number {
  return (split === 'dev' ? DEV_BASE : HIDDEN_BASE) + Math.min(Math.max(0, Math.floor(turn)), MAX_TURN);
}

/** Waiting runs in the order they start: dev before hidden, then by turn, then first come, first served (run id). */
export function fairOrder<T extends WaitingRun>(waiting: readonly T[]): T[] {
  return [...waiting].sort((a, b) => Number(a.split === 'test') - Number(b.split === 'test') || a.turn - b.turn || a.runId - b.runId);
}

/**
 * When each waiting run may start, from recent runs' mean duration and how many run at once. Pure; null when
 * there is no history to go by. `position` counts from 1.
 */
export function estimatedStartMs(position: number, opts: { meanRunMs: number | null; parallel: number; now: number }): number | null {
  if (opts.meanRunMs === null || !Number.isFinite(opts.meanRunMs)) return null;
  const parallel = Math.max(1, opts.parallel);
  return opts.now + Math.floor((position - 1) / parallel) * opts.meanRunMs + opts.meanRunMs / 2;
}
