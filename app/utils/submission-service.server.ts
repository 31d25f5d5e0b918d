/**
 * The one way a submission enters the platform, whatever brought it (the /submit form, the ONNX form, the API
 * with a team token, shared-storage registration, the demo seeding): fields → endpoint address (SSRF) → team
 * (registered, not the platform's) → release → hidden-split access and model card → quota (team and account)
 * → create model, submission and run with the run's fixed adapter record (db/run-adapter-settings.ts) →
 * enqueue. The team is never a free-text field: the caller resolves it from the signed-in member or the API
 * token (docs/decisions/242-submissions-bound-to-teams.md). Each refusal names its field; nothing is created
 * on a refusal.
 */
import { findReleaseBySlug } from '../../db/queries/releases';
import { createOnnxSubmission } from '../../db/queries/onnx-models';
import type { Database } from '../../db/client';
import { createBaselineSubmission, createEndpointSubmission, findModelCard, SubmissionConflictError, SubmissionLimitError, type Transaction } from '../../db/queries/submissions';
import { findTeam } from '../../db/queries/teams';
import { endpointTokenContext } from '../../evaluator/adapters/endpoint-token';
import { BASELINE_MODELS } from '../../evaluator/baselines/baseline-server';
import { checkEndpointUrl } from '../../evaluator/net/ssrf-guard';
import type { BundleReport } from '../../evaluator/onnx/validate-bundle';
import { SCORER_VERSION } from '../../evaluator/scoring';
import { encryptSecret } from '../../evaluator/secrets';
import { nameKey } from '../auth/name-key';
import { hasCardInput, hiddenSplitCardGaps, mergeCard, type ModelCard } from '../models/model-card';
import type { AppServices } from '../services.server';
import { teamHiddenSplitVerdict } from '../teams/team-access.server';
import { endpointSubmissionForm, onnxSubmissionFields, parseFields, type OnnxSubmissionFields } from './submission-form';
import { submissionLimitRefusal, type SubmissionActor } from './submission-limits.server';
import { fieldRefusal, type SubmissionAccepted, type SubmissionOutcome, type SubmissionRefusal } from './submission-refusal';

export type SubmissionServices = Pick<AppServices, 'db' | 'queue' | 'config' | 'secretKey'>;

/** The team under which the platform's reference baselines run; no submission can take it. */
export const BASELINE_TEAM = 'SpineBench baselines';

export type { SubmissionActor };

/** A submission whose fields, team, release, access and quota passed: what a bundle is then checked and submitted for. */
export interface SubmissionTarget {
  ok: true;
  actor: SubmissionActor;
  fields: OnnxSubmissionFields;
  releaseId: number;
  /** The model card after this submission's edits (undefined when none were sent). */
  card: ModelCard | undefined;
}

function invalidFields(fieldErrors: Record<string, string>): SubmissionRefusal {
  return { ok: false, status: 400, message: 'Some fields are missing or invalid.', fieldErrors };
}

async function checkTarget(
  services: Pick<SubmissionServices, 'db' | 'config'>,
  actor: SubmissionActor,
  fields: OnnxSubmissionFields,
): Promise<SubmissionTarget | SubmissionRefusal> {
  const team = await findTeam(services.db, actor.teamId);
  if (!team) return fieldRefusal(400, 'teamId', `Team ${actor.teamId} does not exist.`);
  if (team.isBaseline) return fieldRefusal(409, 'teamId', `Team "${team.name}" is the platform's own; no submission runs under it.`);
  const release = await findReleaseBySlug(services.db, fields.release);
  if (!release || release.status !== 'published') {
    return fieldRefusal(400, 'release', `Release "${fields.release}" does not accept submissions.`);
  }
  const { modelName, release: _release, split, ...cardInput } = fields;
  const card = hasCardInput(cardInput) ? mergeCard(await findModelCard(services.db, team.id, nameKey(modelName)), cardInput) : undefined;
  if (split === 'test') {
    const verdict = await teamHiddenSplitVerdict(services, team);
    if (!verdict.ok) return fieldRefusal(403, 'split', verdict.reason);
    const gaps = hiddenSplitCardGaps(card ?? mergeCard(await findModelCard(services.db, team.id, nameKey(modelName)), {}));
    if (Object.keys(gaps).length > 0) return { ok: false, status: 400, message: 'The model card is incomplete.', fieldErrors: gaps };
  }
  const quota = await submissionLimitRefusal(services.db, actor, split, services.config);
  if (quota) return fieldRefusal(429, 'split', quota);
  return { ok: true, actor, fields, releaseId: release.id, card };
}

/** Cheap checks first, before any bundle is touched: field values, the team, the release, access, the card, quota. */
export async function checkSubmissionTarget(
  services: Pick<SubmissionServices, 'db' | 'config'>,
  actor: SubmissionActor,
  raw: Record<string, unknown>,
): Promise<SubmissionTarget | SubmissionRefusal> {
  const parsed = parseFields(onnxSubmissionFields, raw);
  return parsed.ok ? checkTarget(services, actor, parsed.value) : invalidFields(parsed.fieldErrors);
}

/** What the database layer needs of a checked target besides the model's own settings. */
function submissionBase(services: Pick<SubmissionServices, 'config'>, target: SubmissionTarget) {
  const { modelName, split } = target.fields;
  return {
    // The quota again, inside the transaction that holds the team's row: no two submissions take the last run.
    recheck: async (tx: Transaction) => {
      const refusal = await submissionLimitRefusal(tx as unknown as Database, target.actor, split, services.config);
      if (refusal) throw new SubmissionLimitError(refusal);
    },
    teamId: target.actor.teamId,
    submittedBy: target.actor.userId,
    modelName,
    modelNameKey: nameKey(modelName),
    card: target.card,
    releaseId: target.releaseId,
    split,
    scorerVersion: SCORER_VERSION,
  };
}

function conflictRefusal(e: unknown): SubmissionRefusal {
  if (e instanceof SubmissionConflictError) return fieldRefusal(409, e.field, e.message);
  if (e instanceof SubmissionLimitError) return fieldRefusal(429, 'split', e.message);
  throw e;
}

/** An OpenAI-compatible endpoint: `raw` holds the form's (or API body's) fields, validated here. */
export async function submitEndpoint(services: SubmissionServices, actor: SubmissionActor, raw: Record<string, unknown>): Promise<SubmissionOutcome> {
  const parsed = parseFields(endpointSubmissionForm, raw);
  if (!parsed.ok) return invalidFields(parsed.fieldErrors);
  const { endpointToken, endpointUrl, endpointModel, ...targetFields } = parsed.value;
  const { config } = services;
  const guard = await checkEndpointUrl(endpointUrl, { allowList: config.endpointAllowList });
  if (!guard.ok) return fieldRefusal(400, 'endpointUrl', `Endpoint URL refused: ${guard.reason}`);
  const target = await checkTarget(services, actor, targetFields);
  if (!target.ok) return target;
  let created;
  try {
    created = await createEndpointSubmission(services.db, {
      ...submissionBase(services, target),
      endpointUrl,
      endpointModel,
      encryptToken: endpointToken
        ? (teamId) => encryptSecret(endpointToken, services.secretKey, endpointTokenContext(teamId, targetFields.modelName))
        : undefined,
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
      ...submissionBase(services, target),
      artifactDir: bundle.dir,
      artifactManifest: bundle.report.manifest as unknown as Record<string, unknown>,
      artifactBytes: bundle.report.onnxBytes,
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
      teamNameKey: nameKey(BASELINE_TEAM),
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
