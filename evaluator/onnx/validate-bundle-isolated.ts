/**
 * Bundle validation in a child process with its own heap limit and a time limit: the parent (the web
 * server, or the CLI) only receives the report. A child that runs out of memory or time becomes a
 * refusal of the bundle, never a crash of the parent.
 */
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BundleReport, ValidateBundleOptions } from './validate-bundle';

export interface IsolationLimits {
  /** V8 heap of the validating child, in MB. */
  heapMb: number;
  timeoutMs: number;
}

export const DEFAULT_ISOLATION_LIMITS: IsolationLimits = { heapMb: 3072, timeoutMs: 10 * 60_000 };

/**
 * The child's entry file. This module runs from its source folder (workers, CLI) or bundled into the
 * Remix server build (build/server/index.js), so both places are tried.
 */
function childEntry(): { file: string; execArgv: string[] } {
  for (const candidate of ['./validate-bundle-child', '../../evaluator/onnx/validate-bundle-child']) {
    const js = fileURLToPath(new URL(`${candidate}.js`, import.meta.url));
    if (existsSync(js)) return { file: js, execArgv: [] };
    const ts = fileURLToPath(new URL(`${candidate}.ts`, import.meta.url));
    if (existsSync(ts)) {
      const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
      return { file: ts, execArgv: ['--import', tsxLoader] };
    }
  }
  throw new Error('validate-bundle-child entry not found next to validate-bundle-isolated');
}

function refusal(message: string): BundleReport {
  return { ok: false, problems: [{ file: '(bundle)', message }], manifest: null, onnxBytes: 0, sessions: {} };
}

export async function validateBundleIsolated(
  dir: string,
  options: ValidateBundleOptions,
  limits: IsolationLimits = DEFAULT_ISOLATION_LIMITS,
): Promise<BundleReport> {
  const entry = childEntry();
  const child = fork(entry.file, [], {
    execArgv: [...entry.execArgv, `--max-old-space-size=${limits.heapMb}`],
    env: { PATH: process.env.PATH ?? '' } as unknown as NodeJS.ProcessEnv,
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
  });
  return new Promise<BundleReport>((resolve) => {
    let settled = false;
    const finish = (report: BundleReport) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(report);
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(refusal(`validation took longer than ${Math.round(limits.timeoutMs / 1000)} s; nothing was queued`));
    }, limits.timeoutMs);
    child.once('message', (m: { ok: true; report: BundleReport } | { ok: false; error: string }) => {
      finish(m.ok ? m.report : refusal('the bundle could not be validated (the validator failed on it); nothing was queued'));
    });
    child.once('error', () => finish(refusal('the bundle validator could not be started; nothing was queued')));
    child.once('exit', (code, signal) => {
      finish(refusal(
        signal === 'SIGKILL' || code === 134 || signal === 'SIGABRT' || signal === 'SIGTRAP'
          ? `validating the bundle used more than ${limits.heapMb} MB of memory (a file far larger than a model needs?); nothing was queued`
          : `the bundle validator stopped (${signal ?? `exit ${code}`}); nothing was queued`,
      ));
    });
    child.send({ dir, options });
  });
}
