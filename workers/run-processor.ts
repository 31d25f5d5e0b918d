import type { Database } from '../db/client';
import { adapterFactory, type AdapterLimits } from './create-adapter';
import { evaluateRun } from './evaluate-run';
import type { RunProcessor } from './queue';

/** The one processor both queue engines run. */
export function createRunProcessor(db: Database, limits: AdapterLimits): RunProcessor {
  const createAdapter = adapterFactory(limits);
  return (runId, signal, reportProgress) => evaluateRun({ db, createAdapter, onProgress: reportProgress }, runId, signal);
}
