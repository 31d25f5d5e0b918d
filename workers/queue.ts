/** How the web side hands a run to the evaluator fleet, whichever engine runs it. */
export interface RunQueue {
  readonly kind: 'bullmq' | 'in-process';
  enqueueRun(runId: number): Promise<void>;
  close(): Promise<void>;
}

export type RunProcessor = (runId: number, signal: AbortSignal, reportProgress: (done: number, total: number) => void) => Promise<void>;

export const EVALUATION_QUEUE = 'evaluation-runs';
