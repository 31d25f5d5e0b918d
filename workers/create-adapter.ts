import type { Database } from '../db/client';
import { recordRunPeakMemory, recordRunRuntimeInfo } from '../db/queries/onnx-models';
import type { loadRunContext } from '../db/queries/runs';
import { runAdapterSettings, type EndpointRunSettings, type OnnxRunSettings } from '../db/run-adapter-settings';
import { createEndpointAdapter } from '../evaluator/adapters/endpoint';
import { endpointTokenContext } from '../evaluator/adapters/endpoint-token';
import type { ModelAdapter } from '../evaluator/adapters/types';
import { createBaselineAdapter } from '../evaluator/baselines/baseline-adapter';
import { EvaluationError } from '../evaluator/errors';
import type { DeviceChoice } from '../evaluator/onnx/runner-protocol';
import { decryptSecret } from '../evaluator/secrets';
import { log } from '../log/logger';
import { sharedEndpointFetcher } from './endpoint-fetchers';
import { processOnnxAdapterCache, type OnnxAdapterCache } from './onnx-adapter-cache';

export interface AdapterLimits {
  /** Operator allow-list for endpoint addresses the SSRF guard would refuse. */
  endpointAllowList: string[];
  /** Key for endpoint tokens at rest (evaluator/secrets). */
  secretKey: Buffer;
  /** ONNX: a loaded model idle this long is closed, ending its runner child (ms; 0 → never). */
  onnxRunnerIdleMs?: number;
  /** ONNX_DEVICE: where this worker runs ONNX models; a property of the worker, not of the run. */
  onnxDevice?: DeviceChoice;
  /** ONNX: items of one shard generated together (decision 213); default 1. */
  onnxBatchSize?: number;
}

/** The run, its submission and model as loaded for a shard. */
export type RunContext = NonNullable<Awaited<ReturnType<typeof loadRunContext>>>;

/**
 * The ONNX adapter for a run: leased from the process's cache (one model stays loaded across the
 * shards it serves). Generate errors quote the library's text on the public dev split only. The device
 * (the worker's ONNX_DEVICE), the GPU behind it, runtime versions, load time and memory plan are recorded
 * on the run when the shard starts, and the runner's peak resident memory when it ends (docs/decisions/212).
 */
async function onnxAdapter(ctx: RunContext, settings: OnnxRunSettings, db: Database, cache: OnnxAdapterCache, device: DeviceChoice, batchSize = 1) {
  const errorDetail = ctx.submission.split === 'dev' ? 'show' : 'hide';
  const adapter = await cache.acquire(`${settings.artifactDir}:${settings.timeoutMs}:${settings.memoryLimitMb}:${errorDetail}:${device}:${batchSize}`, {
    modelDir: settings.artifactDir,
    timeoutMs: settings.timeoutMs,
    memoryLimitMb: settings.memoryLimitMb,
    errorDetail,
    device,
    batchSize,
  });
  try {
    const start = adapter.startInfo?.();
    await recordRunRuntimeInfo(db, ctx.run.id, { ...adapter.runtimeInfo(), ...(start ? { loadMs: start.loadMs, memory: start.memory } : {}) });
  } catch (e) {
    await adapter.close();
    throw e;
  }
  return {
    ...adapter,
    async close() {
      // The runner serves other shards and runs too: its peak so far is at least this shard's.
      const peak = adapter.peakResidentBytes?.() ?? 0;
      if (peak > 0) {
        await recordRunPeakMemory(db, ctx.run.id, peak).catch((err) => log.warn({ err, runId: ctx.run.id }, 'onnx: recording peak memory failed'));
      }
      await adapter.close();
    },
  };
}

function endpointAdapter(ctx: RunContext, settings: EndpointRunSettings, limits: AdapterLimits) {
  let token: string | undefined;
  if (ctx.run.endpointTokenEncrypted) {
    try {
      token = decryptSecret(ctx.run.endpointTokenEncrypted, limits.secretKey, endpointTokenContext(ctx.model.teamId, ctx.model.name));
    } catch {
      throw new EvaluationError('internal', 'The endpoint token could not be decrypted (SECRET_KEY differs between processes?).', {
        platformFault: true,
      });
    }
  }
  return createEndpointAdapter({
    url: settings.url,
    model: settings.model,
    token,
    timeoutMs: settings.timeoutMs,
    attempts: settings.attempts,
    fetcher: sharedEndpointFetcher(limits.endpointAllowList),
  });
}

/**
 * Builds a run's adapter from the run's own record (db/run-adapter-settings.ts), fixed at submission:
 * never from the model row, which a later submission under the same names rewrites.
 */
export function adapterFactory(
  limits: AdapterLimits,
  db: Database,
  onnxCache: OnnxAdapterCache = processOnnxAdapterCache({ idleMs: limits.onnxRunnerIdleMs }),
) {
  return async (ctx: RunContext): Promise<ModelAdapter> => {
    const parsed = runAdapterSettings.safeParse(ctx.run.adapterSettings);
    if (!parsed.success) {
      throw new EvaluationError('invalid_artifact', `Run ${ctx.run.id} has no usable record of what to evaluate.`, { platformFault: true });
    }
    const settings = parsed.data;
    if (settings.kind === 'baseline') return createBaselineAdapter(settings.model);
    if (settings.kind === 'onnx') return onnxAdapter(ctx, settings, db, onnxCache, limits.onnxDevice ?? 'auto', limits.onnxBatchSize);
    return endpointAdapter(ctx, settings, limits);
  };
}
