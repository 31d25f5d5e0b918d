import { EvaluationError } from '../errors';
import type { ModelAdapter } from '../adapters/types';
import { BASELINE_MODELS, baselineAnswer, type BaselineModel } from './baseline-server';

export const isBaselineModel = (name: string): name is BaselineModel => (BASELINE_MODELS as readonly string[]).includes(name);

/**
 * A reference baseline answered in the worker itself: the platform's baselines need no endpoint, so no
 * network permission (such as loopback) exists that a submission could borrow. Same answers as the
 * loopback server (baseline-server.ts), which perf scripts still use as a stand-in endpoint.
 */
export function createBaselineAdapter(model: string): ModelAdapter {
  if (!isBaselineModel(model)) throw new EvaluationError('invalid_artifact', `"${model}" is not a platform baseline.`, { platformFault: true });
  return {
    async generate(prompt, signal) {
      signal?.throwIfAborted();
      return baselineAnswer(model, prompt.text);
    },
    async close() {},
  };
}
