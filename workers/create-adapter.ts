import type { models } from '../db/schema';
import { createEndpointAdapter } from '../evaluator/adapters/endpoint';
import type { ModelAdapter } from '../evaluator/adapters/types';
import { EvaluationError } from '../evaluator/errors';

export interface AdapterLimits {
  endpointTimeoutMs: number;
  endpointAttempts: number;
}

/** Builds the adapter that a model's kind calls for. */
export function adapterFactory(limits: AdapterLimits) {
  return async (model: typeof models.$inferSelect): Promise<ModelAdapter> => {
    if (model.kind !== 'endpoint' || !model.endpointUrl || !model.endpointModel) {
      throw new EvaluationError('invalid_artifact', `Model kind "${model.kind}" cannot be run by this worker.`);
    }
    return createEndpointAdapter({
      url: model.endpointUrl,
      model: model.endpointModel,
      timeoutMs: limits.endpointTimeoutMs,
      attempts: limits.endpointAttempts,
    });
  };
}
