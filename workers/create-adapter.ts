import type { models } from '../db/schema';
import { createEndpointAdapter } from '../evaluator/adapters/endpoint';
import { endpointTokenContext } from '../evaluator/adapters/endpoint-token';
import type { ModelAdapter } from '../evaluator/adapters/types';
import { EvaluationError } from '../evaluator/errors';
import { decryptSecret } from '../evaluator/secrets';

export interface AdapterLimits {
  endpointTimeoutMs: number;
  endpointAttempts: number;
  /** Operator allow-list for endpoint addresses the SSRF guard would refuse. */
  endpointAllowList: string[];
  /** Key for endpoint tokens at rest (evaluator/secrets). */
  secretKey: Buffer;
}

type ModelRow = typeof models.$inferSelect;

/** Builds the adapter that a model's kind calls for. */
export function adapterFactory(limits: AdapterLimits) {
  return async (model: ModelRow): Promise<ModelAdapter> => {
    if (model.kind !== 'endpoint' || !model.endpointUrl || !model.endpointModel) {
      throw new EvaluationError('invalid_artifact', `Model kind "${model.kind}" cannot be run by this worker.`);
    }
    let token: string | undefined;
    if (model.endpointTokenEncrypted) {
      try {
        token = decryptSecret(model.endpointTokenEncrypted, limits.secretKey, endpointTokenContext(model.teamId, model.name));
      } catch {
        throw new EvaluationError('internal', 'The endpoint token could not be decrypted (SECRET_KEY differs between processes?).', {
          platformFault: true,
        });
      }
    }
    return createEndpointAdapter({
      url: model.endpointUrl,
      model: model.endpointModel,
      token,
      timeoutMs: limits.endpointTimeoutMs,
      attempts: limits.endpointAttempts,
      // Baselines are created by the platform itself and served on its own loopback.
      allowList: model.isBaseline ? ['127.0.0.1', ...limits.endpointAllowList] : limits.endpointAllowList,
    });
  };
}
