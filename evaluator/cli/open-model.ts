/**
 * Opens the model a local run evaluates, with the platform's own adapters: the endpoint adapter (with
 * the local allow-list) or, for an ONNX bundle, bundle validation and then the child-process runner.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createEndpointAdapter } from '../adapters/endpoint';
import type { ModelAdapter } from '../adapters/types';
import { isEvaluationError } from '../errors';
import { checkEndpointUrl } from '../net/ssrf-guard';
import { acceptBundleArchive } from '../onnx/accept-bundle';
import { formatProblem, type BundleProblem } from '../onnx/bundle-report';
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

export interface PreparedBundle {
  /** The bundle folder to load (the extracted archive, for an archive). */
  dir: string;
  /** Removes the extracted copy of an archive; a no-op for a folder. */
  dispose(): Promise<void>;
}

function bundleFailure(where: string, problems: BundleProblem[]): CliFailure {
  const lines = problems.map((p) => `  - ${formatProblem(p)}`);
  return new CliFailure(
    `The ONNX bundle ${where} is not valid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${lines.join('\n')}\nSee docs/onnx-submissions.md for the bundle contract.`,
  );
}

/**
 * Checks an ONNX bundle as the platform does before queueing: a folder is validated in place; an archive
 * (.tar, .tar.gz, .zip: what you would upload) goes through the platform's safe extraction into a temporary
 * folder first. Throws CliFailure listing every problem.
 */
export async function prepareOnnxBundle(source: string, memoryMb: number, tempRoot = os.tmpdir()): Promise<PreparedBundle> {
  const info = await stat(source).catch(() => null);
  if (!info) throw new CliFailure(`--onnx ${source} does not exist; give the bundle folder or its .tar, .tar.gz or .zip archive.`);
  const memoryLimitBytes = memoryMb * 2 ** 20;
  if (info.isDirectory()) {
    const report = await validateBundle(source, { memoryLimitBytes });
    if (!report.ok) throw bundleFailure(source, report.problems);
    return { dir: source, dispose: async () => {} };
  }
  const temp = await mkdtemp(path.join(tempRoot, 'spinebench-bundle-'));
  const dispose = () => rm(temp, { recursive: true, force: true });
  try {
    const intake = await acceptBundleArchive(source, path.join(temp, 'bundle'), { memoryLimitBytes });
    if (!intake.ok) throw bundleFailure(source, intake.problems);
    return { dir: intake.root, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}

/** Opens the model; for ONNX, `bundleDir` is the prepared (validated) bundle folder. */
export async function openModel(source: ModelSource, settings: ModelRunSettings, bundleDir?: string): Promise<OpenedModel> {
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
      modelDir: path.resolve(bundleDir ?? source.dir),
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
