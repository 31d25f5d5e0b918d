/**
 * Registering a bundle that already lies on shared storage (for models too large to upload), by a path
 * under the operator's ONNX_SHARED_ROOT. The bundle is validated in place and used in place; the
 * platform never deletes it.
 */
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { validateBundle } from '../../evaluator/onnx/validate-bundle';
import { MiB } from './onnx-intake.server';
import { bundleRefusal, fieldRefusal, type SubmissionOutcome } from './submission-refusal';
import { checkSubmissionTarget, submitOnnxBundle, type SubmissionServices } from './submission-service.server';

/**
 * Resolves a team-given path (relative to the shared root, or absolute inside it) to the real folder,
 * following links, and refuses anything that ends up outside the root (`..`, absolute paths elsewhere,
 * symbolic links pointing out) or at the root itself.
 */
export async function resolveSharedBundlePath(sharedRoot: string, requested: string): Promise<{ ok: true; dir: string } | { ok: false; message: string }> {
  if (typeof requested !== 'string' || requested.trim() === '' || requested.includes('\0')) {
    return { ok: false, message: 'path: give the bundle folder relative to the shared model folder.' };
  }
  const root = await realpath(sharedRoot);
  const candidate = path.resolve(root, requested);
  if (candidate !== root && !candidate.startsWith(root + path.sep)) {
    return { ok: false, message: `path: "${requested}" lies outside the shared model folder; only folders under it can be registered.` };
  }
  let real: string;
  try {
    real = await realpath(candidate);
  } catch {
    return { ok: false, message: `path: "${requested}" does not exist under the shared model folder.` };
  }
  if (!real.startsWith(root + path.sep)) {
    return { ok: false, message: `path: "${requested}" leads outside the shared model folder (through a symbolic link, or to the folder itself); refused.` };
  }
  return { ok: true, dir: real };
}

export async function registerSharedOnnxBundle(
  services: SubmissionServices,
  raw: Record<string, unknown>,
): Promise<SubmissionOutcome> {
  const root = services.config.onnxSharedRoot;
  if (!root) return fieldRefusal(404, 'path', 'Registering bundles on shared storage is not enabled on this platform (ONNX_SHARED_ROOT is unset).');
  const target = await checkSubmissionTarget(services, raw);
  if (!target.ok) return target;
  const resolved = await resolveSharedBundlePath(root, String(raw.path ?? ''));
  if (!resolved.ok) return fieldRefusal(400, 'path', resolved.message);
  const report = await validateBundle(resolved.dir, { memoryLimitBytes: services.config.onnxMemoryLimitMb * MiB });
  if (!report.ok) return bundleRefusal(report.problems);
  // The platform never deletes a shared bundle, so a replaced one is left where it is.
  return (await submitOnnxBundle(services, target, { dir: resolved.dir, report })).outcome;
}
