/**
 * The one path every ONNX submission takes, whatever brought the bundle (web form, chunked upload API,
 * shared-storage path): check the target (fields, release, quota), then the bundle (safe extraction +
 * validation), then create model, submission and run and enqueue. A refusal says why and leaves nothing
 * on disk: the archive is always removed, an extracted bundle is removed unless a run now uses it.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { findReleaseBySlug } from '../../db/queries/releases';
import { createOnnxSubmission, SubmissionConflictError } from '../../db/queries/onnx-models';
import { acceptBundleArchive } from '../../evaluator/onnx/accept-bundle';
import type { BundleProblem } from '../../evaluator/onnx/bundle-report';
import { DEFAULT_EXTRACT_LIMITS } from '../../evaluator/onnx/extract-archive';
import type { BundleReport } from '../../evaluator/onnx/validate-bundle';
import { SCORER_VERSION } from '../../evaluator/scoring';
import type { AppServices } from '../services.server';
import { onnxSubmissionFields, parseFields, type OnnxSubmissionFields } from './submission-form';
import { submissionLimitRefusal } from './submission-limits.server';

export interface OnnxRefusal {
  ok: false;
  /** HTTP status that fits: 400 bad fields, 404 unknown release, 409 conflict, 413 too large, 422 bad bundle, 429 quota. */
  status: number;
  message: string;
  fieldErrors?: Record<string, string>;
  /** What is wrong with the bundle, each naming the file (or archive entry) and field. */
  problems?: BundleProblem[];
}

export interface SubmissionTarget {
  ok: true;
  fields: OnnxSubmissionFields;
  releaseId: number;
}

export interface OnnxAccepted {
  ok: true;
  runId: number;
  modelId: number;
}

type Services = Pick<AppServices, 'db' | 'queue' | 'config'>;

export const MiB = 1024 * 1024;

/** Cheap checks first, before any bundle is touched: field values, the release, the team's quota. */
export async function checkSubmissionTarget(services: Services, raw: Record<string, unknown>): Promise<SubmissionTarget | OnnxRefusal> {
  const parsed = parseFields(onnxSubmissionFields, raw);
  if (!parsed.ok) return { ok: false, status: 400, message: 'Some fields are missing or invalid.', fieldErrors: parsed.fieldErrors };
  const fields = parsed.value;
  const release = await findReleaseBySlug(services.db, fields.release);
  if (!release || release.status !== 'published') {
    return { ok: false, status: 400, message: 'This release does not accept submissions.', fieldErrors: { release: `Release "${fields.release}" does not accept submissions.` } };
  }
  const quota = await submissionLimitRefusal(services.db, fields.teamName, fields.split, services.config);
  if (quota) return { ok: false, status: 429, message: quota, fieldErrors: { split: quota } };
  return { ok: true, fields, releaseId: release.id };
}

export function bundleRefusal(problems: BundleProblem[]): OnnxRefusal {
  return { ok: false, status: 422, message: `The bundle was refused (${problems.length} problem${problems.length === 1 ? '' : 's'}); nothing was queued.`, problems };
}

/**
 * Creates model, submission and run for a validated bundle and enqueues the run. `ownedDir`: the bundle
 * lies in the platform's models folder, so it is removed if the submission cannot be created, and the
 * model's previous bundle there is removed once the model points at the new one.
 */
export async function submitValidatedBundle(
  services: Services,
  target: SubmissionTarget,
  bundleDir: string,
  report: BundleReport,
  ownedDir: boolean,
): Promise<OnnxAccepted | OnnxRefusal> {
  const { config } = services;
  let created;
  try {
    created = await createOnnxSubmission(services.db, {
      ...target.fields,
      releaseId: target.releaseId,
      artifactDir: bundleDir,
      artifactManifest: report.manifest as unknown as Record<string, unknown>,
      artifactBytes: report.onnxBytes,
      scorerVersion: SCORER_VERSION,
      adapterSettings: {
        kind: 'onnx',
        timeoutMs: config.onnxItemTimeoutMs,
        memoryLimitMb: config.onnxMemoryLimitMb,
        maxNewTokens: report.manifest?.maxNewTokens,
        dtype: report.manifest?.dtype,
        decoding: 'greedy',
      },
    });
  } catch (e) {
    if (ownedDir) await rm(bundleDir, { recursive: true, force: true });
    if (e instanceof SubmissionConflictError) return { ok: false, status: 409, message: e.message };
    throw e;
  }
  const replaced = created.replacedArtifactDir;
  if (replaced && path.dirname(replaced) === config.modelsDir) await rm(replaced, { recursive: true, force: true });
  await services.queue.enqueueRun(created.run.id);
  return { ok: true, runId: created.run.id, modelId: created.model.id };
}

/** Extracts and validates an uploaded archive into DATA_DIR/models/<artifact id>, then submits it. Always removes the archive. */
export async function acceptOnnxArchive(services: Services, archivePath: string, target: SubmissionTarget): Promise<OnnxAccepted | OnnxRefusal> {
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
  return submitValidatedBundle(services, target, intake.root, intake.report, true);
}
