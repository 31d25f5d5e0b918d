/**
 * Opens the model a local run evaluates, with the platform's own adapters: the endpoint adapter (with
 * the local allow-list) or, for an ONNX bundle, bundle validation and then the child-process runner.
 */
import path from 'node:path';
import { createEndpointAdapter } from '../adapters/endpoint';
import type { ModelAdapter } from '../adapters/types';
import { isEvaluationError } from '../errors';
import { checkEndpointUrl } from '../net/ssrf-guard';
import { formatProblem } from '../onnx/bundle-report';
import { createOnnxAdapter } from '../onnx/onnx-adapter';
import { validateBundle } from '../onnx/validate-bundle';
import type { ModelSource } from './args';
import { LOCAL_ALLOW_LIST } from './local-allow-list';
import type { ModelDescription } from './summary';

/** A failure that ends the command with exit code 1 and a message for the user. */
export class CliFailure extends Error {
  readonly exitCode = 1;
  constructor(message: string) {
    super(message);
    this.name = 'CliFailure';
  }
}

export interface OpenedModel {
  adapter: ModelAdapter;
  description: ModelDescription;
}

export interface ModelRunSettings {
  timeoutMs: number;
  attempts: number;
  concurrency: number;
}

/** Checks an ONNX bundle as the platform does before queueing; throws CliFailure listing every problem. */
export async function checkOnnxBundle(dir: string, memoryMb: number): Promise<void> {
  const report = await validateBundle(dir, { memoryLimitBytes: memoryMb * 2 ** 20 });
  if (report.ok) return;
  const lines = report.problems.map((p) => `  - ${formatProblem(p)}`);
  throw new CliFailure(`The ONNX bundle ${dir} is not valid (${report.problems.length} problem${report.problems.length === 1 ? '' : 's'}):\n${lines.join('\n')}\nSee docs/onnx-submissions.md for the bundle contract.`);
}

export async function openModel(source: ModelSource, settings: ModelRunSettings): Promise<OpenedModel> {
  if (source.kind === 'endpoint') {
    // Checked once up front so a refused or unknown host fails at once, not once per item.
    const check = await checkEndpointUrl(source.url, { allowList: LOCAL_ALLOW_LIST });
    if (!check.ok) throw new CliFailure(`Cannot use --endpoint ${source.url}: ${check.reason}.`);
    return {
      adapter: createEndpointAdapter({
        url: source.url,
        model: source.model,
        token: source.token,
        timeoutMs: settings.timeoutMs,
        attempts: settings.attempts,
        concurrency: settings.concurrency,
        allowList: LOCAL_ALLOW_LIST,
      }),
      description: { kind: 'endpoint', url: source.url, model: source.model },
    };
  }
  try {
    const adapter = await createOnnxAdapter({
      modelDir: path.resolve(source.dir),
      timeoutMs: settings.timeoutMs,
      memoryLimitMb: source.memoryMb,
      device: source.device,
      // Dev items are public: the library's own error text helps debugging and quotes nothing hidden.
      errorDetail: 'show',
    });
    return { adapter, description: { kind: 'onnx', dir: source.dir, device: adapter.runtimeInfo().device } };
  } catch (error) {
    if (isEvaluationError(error)) throw new CliFailure(`The ONNX model in ${source.dir} could not be loaded (${error.code}): ${error.message}`);
    throw error;
  }
}
