/**
 * Intake of an uploaded ONNX bundle archive: safe extraction, then validation. Either the bundle lies
 * validated at destDir, or nothing is left there and the problems say why (archive refusals included,
 * as problems of the file "(archive)" or of the entry).
 */
import { rm } from 'node:fs/promises';
import type { BundleProblem } from './bundle-report';
import { ArchiveRefusedError, DEFAULT_EXTRACT_LIMITS, extractArchive, type ExtractLimits, type ExtractResult } from './extract-archive';
import type { BundleReport } from './validate-bundle';
import { validateBundleIsolated, type IsolationLimits } from './validate-bundle-isolated';

export type BundleIntake =
  | { ok: true; root: string; extract: ExtractResult; report: BundleReport }
  | { ok: false; problems: BundleProblem[] };

export async function acceptBundleArchive(
  archivePath: string,
  destDir: string,
  options: { memoryLimitBytes: number; limits?: ExtractLimits; isolation?: IsolationLimits },
): Promise<BundleIntake> {
  let extract: ExtractResult;
  try {
    extract = await extractArchive(archivePath, destDir, options.limits ?? DEFAULT_EXTRACT_LIMITS);
  } catch (e) {
    if (e instanceof ArchiveRefusedError) {
      return { ok: false, problems: [{ file: e.entry ?? '(archive)', field: e.code, message: e.message }] };
    }
    throw e;
  }
  // Parsing happens in a child process: a hostile file can exhaust only that process.
  const report = await validateBundleIsolated(extract.root, { memoryLimitBytes: options.memoryLimitBytes }, options.isolation);
  if (!report.ok) {
    await rm(destDir, { recursive: true, force: true });
    return { ok: false, problems: report.problems };
  }
  return { ok: true, root: extract.root, extract, report };
}
