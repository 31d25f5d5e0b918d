import type { Database } from '../db/client';
import { getRunSplit, recordRunRuntimeInfo } from '../db/queries/onnx-models';
import type { models } from '../db/schema';
import { createEndpointAdapter } from '../evaluator/adapters/endpoint';
import { endpointTokenContext } from '../evaluator/adapters/endpoint-token';
import type { ModelAdapter } from '../evaluator/adapters/types';
import { EvaluationError } from '../evaluator/errors';
import { decryptSecret } from '../evaluator/secrets';
import { sharedEndpointFetcher } from './endpoint-fetchers';
import { processOnnxAdapterCache, type OnnxAdapterCache } from './onnx-adapter-cache';

export interface AdapterLimits {
  endpointTimeoutMs: number;
  endpointAttempts: number;
  /** Operator allow-list for endpoint addresses the SSRF guard would refuse. */
  endpointAllowList: string[];
  /** Key for endpoint tokens at rest (evaluator/secrets). */
  secretKey: Buffer;
  /** ONNX: time limit of one generate call (one item); default 120 s (as config/env-variables.ts). */
  onnxItemTimeoutMs?: number;
  /** ONNX: resident memory of the runner child; default 16 GiB (as config/env-variables.ts). */
  onnxMemoryLimitMb?: number;
  /** ONNX: a loaded model idle this long is closed, ending its runner child (ms; 0 → never). */
  onnxRunnerIdleMs?: number;
}

type ModelRow = typeof models.$inferSelect;

/**
 * The ONNX adapter for a run: leased from the process's cache (one model stays loaded across the
 * shards it serves). Generate errors quote the library's text on the public dev split only. The device
 * and runtime versions are recorded on the run.
 */
async function onnxAdapter(model: ModelRow, runId: number, limits: AdapterLimits, db: Database, cache: OnnxAdapterCache) {
  if (!model.artifactDir) throw new EvaluationError('invalid_artifact', 'This ONNX model has no bundle.', { platformFault: true });
  const split = await getRunSplit(db, runId);
  const errorDetail = split === 'dev' ? 'show' : 'hide';
  const adapter = await cache.acquire(`${model.id}:${model.artifactDir}:${errorDetail}`, {
    modelDir: model.artifactDir,
    timeoutMs: limits.onnxItemTimeoutMs ?? 120_000,
    memoryLimitMb: limits.onnxMemoryLimitMb ?? 16_384,
    errorDetail,
  });
  try {
    await recordRunRuntimeInfo(db, runId, { ...adapter.runtimeInfo() });
  } catch (e) {
    await adapter.close();
    throw e;
  }
  return adapter;
}

/** Builds the adapter that a model's kind calls for. `db` is needed for ONNX models (split, runtime info). */
export function adapterFactory(
  limits: AdapterLimits,
  db?: Database,
  onnxCache: OnnxAdapterCache = processOnnxAdapterCache({ idleMs: limits.onnxRunnerIdleMs }),
) {
  return async (model: ModelRow, runId?: number): Promise<ModelAdapter> => {
    if (model.kind === 'onnx' && db && runId !== undefined) return onnxAdapter(model, runId, limits, db, onnxCache);
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
      fetcher: sharedEndpointFetcher(model.isBaseline ? ['127.0.0.1', ...limits.endpointAllowList] : limits.endpointAllowList),
    });
  };
}
