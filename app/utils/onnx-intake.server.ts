/**
 * ONNX bundles that arrive as an archive (web form, chunked upload API): extracted safely into
 * DATA_DIR/models/<artifact id>, validated, then handed to the submission service. A refusal says why and
 * leaves nothing on disk: the archive is always removed, the extracted bundle unless a run now uses it.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { acceptBundleArchive } from '../../evaluator/onnx/accept-bundle';
import { DEFAULT_EXTRACT_LIMITS } from '../../benchmark/archive/extract-archive';
import type { BundleReport } from '../../evaluator/onnx/validate-bundle';
import { bundleRefusal, type SubmissionOutcome } from './submission-refusal';
import { submitOnnxBundle, type SubmissionServices, type SubmissionTarget } from './submission-service.server';

export const MiB = 1024 * 1024;

/** Extracts and validates an uploaded archive, then submits it. Always removes the archive. */
export async function acceptOnnxArchive(services: SubmissionServices, archivePath: string, target: SubmissionTarget): Promise<SubmissionOutcome> {
  const { config } = services;
  const bundleDir = path.join(config.modelsDir, randomUUID());
  let intake;
  try {
    await mkdir(config.modelsDir, { recursive: true });
    intake = await acceptBundleArchive(archivePath, bundleDir, {
      memoryLimitBytes: config.onnxMemoryLimitMb * MiB,
      limits: { ...DEFAULT_EXTRACT_LIMITS, maxArchiveBytes: config.onnxUploadMaxBytes },
    });
  } catch (e) {
    await rm(bundleDir, { recursive: true, force: true });
    throw e;
  } finally {
    await rm(archivePath, { force: true });
  }
  if (!intake.ok) return bundleRefusal(intake.problems);
  return submitOwnedBundle(services, target, bundleDir, intake.root, intake.report);
}

/**
 * Submits a validated bundle that lies in the platform's models folder (`ownedDir`, holding `root`): the
 * folder is removed when the submission is refused or fails, and the model's previous bundle folder (which no
 * queued or running run names) is removed once the model points at the new one.
 */
export async function submitOwnedBundle(
  services: SubmissionServices,
  target: SubmissionTarget,
  ownedDir: string,
  root: string,
  report: BundleReport,
): Promise<SubmissionOutcome> {
  let submitted;
  try {
    submitted = await submitOnnxBundle(services, target, { dir: root, report });
  } catch (e) {
    await rm(ownedDir, { recursive: true, force: true });
    throw e;
  }
  if (!submitted.outcome.ok) await rm(ownedDir, { recursive: true, force: true });
  const replaced = submitted.replacedDir && ownedArtifactFolder(services.config.modelsDir, submitted.replacedDir);
  if (replaced) await rm(replaced, { recursive: true, force: true });
  return submitted.outcome;
}

/** The DATA_DIR/models/<artifact id> folder that holds `bundleRoot`, or null for a bundle on shared storage. */
function ownedArtifactFolder(modelsDir: string, bundleRoot: string): string | null {
  const [top] = path.relative(modelsDir, bundleRoot).split(path.sep);
  if (!top || top === '..' || path.isAbsolute(top)) return null;
  return path.join(modelsDir, top);
}
