import type { RunLane } from './queue-fairness';

/** How the web side hands a run to the evaluator fleet, whichever engine runs it. */
export interface RunQueue {
  readonly kind: 'bullmq' | 'in-process';
  enqueueRun(runId: number): Promise<void>;
  /** Re-scores a finished run from its stored outputs (after a scorer or judge change). */
  enqueueRescore(runId: number): Promise<void>;
  /** Runs a release re-score job started in the console (workers/rescore-release.ts); resumable. */
  enqueueReleaseRescore(jobId: number): Promise<void>;
  /** Whether the engine still holds that job (used to re-enqueue one lost with a restart). */
  isReleaseRescoreScheduled(jobId: number): Promise<boolean>;
  /** Re-ranks one board (after moderation changed which runs count on it). */
  enqueueRerank(releaseId: number, split: 'dev' | 'test'): Promise<void>;
  /** Whether the engine still holds work for this run (used to re-enqueue runs lost with a Redis restart). */
  isRunScheduled(runId: number): Promise<boolean>;
  /** Live progress events of a run's shards, wherever they run. Returns the unsubscribe function. */
  subscribeProgress(runId: number, listener: (progress: RunProgress) => void): () => void;
  /** Jobs the engine holds, by queue and state (for the queue-depth metric). */
  depth(): Promise<QueueDepth[]>;
  close(): Promise<void>;
}

export interface QueueDepth {
  queue: string;
  /** BullMQ job states (waiting, prioritized, active, delayed, waiting-children, failed) or in-process waiting/active. */
  state: string;
  count: number;
}

export interface RunProgress {
  runId: number;
  done: number;
  total: number;
}

/** Queues of the fleet: IO-bound endpoint work, compute-bound ONNX work, and scoring/finalising. */
export const QUEUE_NAMES = { endpoint: 'endpoint-shards', onnx: 'onnx-shards', scoring: 'scoring' } as const;
export type QueueRole = keyof typeof QUEUE_NAMES;

export interface RunPlan {
  queue: 'endpoint' | 'onnx';
  shards: number[][];
  /** Its place in the fair queue (workers/queue-fairness.ts); absent: first come, first served at hidden priority. */
  lane?: RunLane;
}

export interface ShardJob {
  runId: number;
  shardIndex: number;
  itemIds: number[];
}

export type ShardOutcome = 'done' | 'run-ended' | 'handed-back';

export interface RunProcessors {
  planRun(runId: number): Promise<RunPlan>;
  processShard(job: ShardJob, signal: AbortSignal, onProgress: (done: number, total: number) => void): Promise<ShardOutcome>;
  finalizeRun(runId: number): Promise<void>;
  rescoreRun(runId: number): Promise<number>;
  /** Runs (or resumes) a release re-score job; `onProgress` hears (done, total) runs. */
  rescoreRelease(jobId: number, onProgress?: (done: number, total: number) => void): Promise<void>;
  /** Ends a release re-score job whose tries are spent (the console shows the error; the board keeps what was done). */
  failRescoreRelease(jobId: number, error: unknown): Promise<void>;
  rerankBoard(releaseId: number, split: 'dev' | 'test'): Promise<void>;
  /** Ends a run whose shard failed for good (retries exhausted) with that shard's error. */
  failRun(runId: number, error: unknown): Promise<void>;
}

/** Tries per shard before its run fails (each try resumes after the last committed item). */
export const SHARD_ATTEMPTS = 3;

/** Splits a run's items into shards of at most `size` items, in order. */
export function planShards(itemIds: number[], size: number): number[][] {
  const shards: number[][] = [];
  for (let i = 0; i < itemIds.length; i += size) shards.push(itemIds.slice(i, i + size));
  return shards;
}
