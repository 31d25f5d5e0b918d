import { AGGREGATION_VERSION, METRICS } from './registry';

/**
 * The version stamped on every score: `scorer-1+mcq_choice.1+level_set.2+report_check.3+aggregate.2`.
 * Derived from the registry, so bumping any metric changes it and marks old scores for re-scoring.
 */
export const SCORER_VERSION: string = ['scorer-1', ...METRICS.map((m) => `${m.name}.${m.version}`), `aggregate.${AGGREGATION_VERSION}`].join('+');
