/**
 * The one way a submission enters the platform, whatever brought it (the /submit form, the ONNX form and
 * upload API, shared-storage registration, the demo seeding, scripts): fields → reserved names → endpoint
 * address (SSRF) → release → quota → create model, submission and run with the run's fixed adapter record
 * (db/run-adapter-settings.ts) → enqueue. Each refusal names its field; nothing is created on a refusal.
 */
import { findReleaseBySlug } from '../../db/queries/releases';
import { createOnnxSubmission } from '../../db/queries/onnx-models';
import {
  createBaselineSubmission,
  createEndpointSubmission,
  isPlatformTeam,
  SubmissionConflictError,
} from '../../db/queries/submissions';
import { endpointTokenContext } from '../../evaluator/adapters/endpoint-token';
import { BASELINE_MODELS } from '../../evaluator/baselines/baseline-server';
import { checkEndpointUrl } from '../../evaluator/net/ssrf-guard';
import type { BundleReport } from '../../evaluator/onnx/validate-bundle';
import { SCORER_VERSION } from '../../evaluator/scoring';
import { encryptSecret } from '../../evaluator/secrets';
import type { AppServices } from '../services.server';
import { endpointSubmissionForm, onnxSubmissionFields, parseFields, type OnnxSubmissionFields } from './submission-form';
import { submissionLimitRefusal } from './submission-limits.server';
import { fieldRefusal, type SubmissionAccepted, type SubmissionOutcome, type SubmissionRefusal } from './submission-refusal';

export type SubmissionServices = Pick<AppServices, 'db' | 'queue' | 'config' | 'secretKey'>;

/** The team under which the platform's reference baselines run; no submission can take it. */
export const BASELINE_TEAM = 'SpineBench baselines';

/** A submission whose fields, release and quota passed: what a bundle is then checked and submitted for. */
export interface SubmissionTarget {
  ok: true;
  fields: OnnxSubmissionFields;
  releaseId: number;
}

function invalidFields(fieldErrors: Record<string, string>): SubmissionRefusal {
  return { ok: false, status: 400, message: 'Some fields are missing or invalid.', fieldErrors };
}

async function checkTarget(services: Pick<SubmissionServices, 'db' | 'config'>, fields: OnnxSubmissionFields): Promise<SubmissionTarget | SubmissionRefusal> {
  if (fields.teamName === BASELINE_TEAM || (await isPlatformTeam(services.db, fields.teamName))) {
    return fieldRefusal(409, 'teamName', `Team name "${fields.teamName}" is reserved for the platform's baselines.`);
  }
  const release = await findReleaseBySlug(services.db, fields.release);
  if (!release || release.status !== 'published') {
    return fieldRefusal(400, 'release', `Release "${fields.release}" does not accept submissions.`);
  }
  const quota = await submissionLimitRefusal(services.db, fields.teamName, fields.split, services.config);
  if (quota) return fieldRefusal(429, 'split', quota);
  return { ok: true, fields, releaseId: release.id };
}

/** Cheap checks first, before any bundle is touched: field values, reserved names, the release, the team's quota. */
export async function checkSubmissionTarget(
  services: Pick<SubmissionServices, 'db' | 'config'>,
  raw: Record<string, unknown>,
): Promise<SubmissionTarget | SubmissionRefusal> {
  const parsed = parseFields(onnxSubmissionFields, raw);
  return parsed.ok ? checkTarget(services, parsed.value) : invalidFields(parsed.fieldErrors);
}

function conflictRefusal(e: unknown): SubmissionRefusal {
  if (e instanceof SubmissionConflictError) return fieldRefusal(409, e.field, e.message);
  throw e;
}

/** An OpenAI-compatible endpoint: `raw` holds the form's (or API body's) fields, validated here. */
export async function submitEndpoint(services: SubmissionServices, raw: Record<string, unknown>): Promise<SubmissionOutcome> {
  const parsed = parseFields(endpointSubmissionForm, raw);
  if (!parsed.ok) return invalidFields(parsed.fieldErrors);
  const { endpointToken, endpointUrl, endpointModel, ...targetFields } = parsed.value;
  const { config } = services;
  const guard = await checkEndpointUrl(endpointUrl, { allowList: config.endpointAllowList });
  if (!guard.ok) return fieldRefusal(400, 'endpointUrl', `Endpoint URL refused: ${guard.reason}`);
  const target = await checkTarget(services, targetFields);
  if (!target.ok) return target;
  let created;
  try {
    created = await createEndpointSubmission(services.db, {
      ...targetFields,
      endpointUrl,
      endpointModel,
      encryptToken: endpointToken
        ? (teamId) => encryptSecret(endpointToken, services.secretKey, endpointTokenContext(teamId, targetFields.modelName))
        : undefined,
      releaseId: target.releaseId,
      scorerVersion: SCORER_VERSION,
      adapterSettings: { timeoutMs: config.endpointTimeoutMs, attempts: config.endpointAttempts },
    });
  } catch (e) {
    return conflictRefusal(e);
  }
  await services.queue.enqueueRun(created.run.id);
  return { ok: true, runId: created.run.id, modelId: created.model.id };
}

/** A bundle that passed validation, in `dir` (the platform's models folder, or shared storage). */
export interface ValidatedBundle {
  dir: string;
  report: BundleReport;
}

/**
 * Creates model, submission and run for a validated ONNX bundle and enqueues the run. Returns, besides the
 * outcome, the bundle folder the model used before (`replacedDir`), which no queued or running run names
 * (createOnnxSubmission refuses otherwise), for the caller to remove if it owns it.
 */
export async function submitOnnxBundle(
  services: SubmissionServices,
  target: SubmissionTarget,
  bundle: ValidatedBundle,
): Promise<{ outcome: SubmissionOutcome; replacedDir: string | null }> {
  const { config } = services;
  let created;
  try {
    created = await createOnnxSubmission(services.db, {
      ...target.fields,
      releaseId: target.releaseId,
      artifactDir: bundle.dir,
      artifactManifest: bundle.report.manifest as unknown as Record<string, unknown>,
      artifactBytes: bundle.report.onnxBytes,
      scorerVersion: SCORER_VERSION,
      adapterSettings: {
        timeoutMs: config.onnxItemTimeoutMs,
        memoryLimitMb: config.onnxMemoryLimitMb,
        maxNewTokens: bundle.report.manifest?.maxNewTokens,
        dtype: bundle.report.manifest?.dtype,
        decoding: 'greedy',
      },
    });
  } catch (e) {
    return { outcome: conflictRefusal(e), replacedDir: null };
  }
  await services.queue.enqueueRun(created.run.id);
  const accepted: SubmissionAccepted = { ok: true, runId: created.run.id, modelId: created.model.id };
  return { outcome: accepted, replacedDir: created.replacedArtifactDir };
}

/**
 * The platform's reference baselines on a release's hidden split, under the platform's own team, answered
 * inside the worker (evaluator/baselines/baseline-adapter.ts). Seeds each baseline once; returns the new runs.
 */
export async function submitBaselines(services: Pick<SubmissionServices, 'db' | 'queue'>, releaseId: number): Promise<number[]> {
  const runIds: number[] = [];
  for (const name of BASELINE_MODELS) {
    const created = await createBaselineSubmission(services.db, {
      teamName: BASELINE_TEAM,
      modelName: `baseline-${name}`,
      releaseId,
      split: 'test',
      scorerVersion: SCORER_VERSION,
      baseline: { kind: 'baseline', model: name },
    });
    if (!created) continue;
    await services.queue.enqueueRun(created.run.id);
    runIds.push(created.run.id);
  }
  return runIds;
}
