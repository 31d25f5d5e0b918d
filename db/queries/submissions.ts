import { and, eq } from 'drizzle-orm';
import type { Database } from '../client';
import {
  DEFAULT_ENDPOINT_ATTEMPTS,
  DEFAULT_ENDPOINT_TIMEOUT_MS,
  type BaselineRunSettings,
  type RunAdapterSettings,
} from '../run-adapter-settings';
import { evaluationRuns, models, submissions, teams } from '../schema';
import type { ModelCard } from '../model-card';

/** What every new submission names besides its model: a registered team, never a free-text name. */
export interface SubmissionBase {
  teamId: number;
  /** The account that submits (a team member, or the account that made the API token); null for the platform. */
  submittedBy: string | null;
  modelName: string;
  /** The model name as compared (app/auth/name-key.ts), so a look-alike cannot pose as another model of the team. */
  modelNameKey: string;
  /** The model card after this submission's edits; written to the model when given. */
  card?: ModelCard;
  /**
   * Checked again once the team row is locked (quota): submissions of one team are serialised by that lock, so
   * two at once cannot both take the last run. Throws SubmissionLimitError to refuse.
   */
  recheck?: (tx: Transaction) => Promise<void>;
  releaseId: number;
  split: 'dev' | 'test';
  scorerVersion: string;
}

export interface NewEndpointSubmission extends SubmissionBase {
  endpointUrl: string;
  endpointModel: string;
  /** Encrypts the team's bearer token for the model's team id; omitted when there is no token. */
  encryptToken?: (teamId: number) => string;
  /** Request limits recorded on the run and used by the worker; defaults 120 s and 3 attempts. */
  adapterSettings?: { timeoutMs?: number; attempts?: number };
}

/**
 * The team is the platform's own (its baselines) or the model is a baseline: no submission may run under
 * those names, or it would pass as a baseline on the board.
 */
export class SubmissionConflictError extends Error {
  constructor(
    message: string,
    readonly field: 'teamId' | 'modelName',
  ) {
    super(message);
    this.name = 'SubmissionConflictError';
  }
}

export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];

/** A limit (quota, rate) found exhausted inside the submission's transaction. */
export class SubmissionLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SubmissionLimitError';
  }
}

/** The submitting team, locked for this transaction; refused when it is gone or is the platform's own. */
export async function lockSubmittingTeam(tx: Transaction, teamId: number, recheck?: (tx: Transaction) => Promise<void>) {
  const [team] = await tx.select().from(teams).where(eq(teams.id, teamId)).for('update');
  if (!team) throw new SubmissionConflictError(`Team ${teamId} does not exist.`, 'teamId');
  if (team.isBaseline) throw new SubmissionConflictError(`Team "${team.name}" is the platform's own; no submission runs under it.`, 'teamId');
  await recheck?.(tx);
  return team;
}

/** The team's model that `nameKey` names, if any (same name, or a look-alike of it). */
export async function findModelByKey(tx: Transaction, teamId: number, nameKey: string) {
  const [model] = await tx.select().from(models).where(and(eq(models.teamId, teamId), eq(models.nameKey, nameKey))).for('update');
  return model;
}

/** The model columns a card edit sets (none when no card was given). */
export function cardValues(card: ModelCard | undefined) {
  return card ? { ...card, cardUpdatedAt: new Date() } : {};
}

/** The card of the team's model that `nameKey` names, if the model exists. */
export async function findModelCard(db: Database, teamId: number, nameKey: string): Promise<ModelCard | undefined> {
  const [row] = await db
    .select({
      parametersB: models.parametersB,
      baseModel: models.baseModel,
      weights: models.weights,
      licence: models.licence,
      paperUrl: models.paperUrl,
      codeUrl: models.codeUrl,
      weightsUrl: models.weightsUrl,
    })
    .from(models)
    .where(and(eq(models.teamId, teamId), eq(models.nameKey, nameKey)));
  return row;
}

/** Refuses a new name that only looks like an existing model of the team ("rn" for "m", Cyrillic letters...). */
export function refuseLookAlike(existing: { name: string } | undefined, modelName: string): void {
  if (existing && existing.name !== modelName) {
    throw new SubmissionConflictError(`Model name "${modelName}" looks like the team's model "${existing.name}"; use that name or a clearly different one.`, 'modelName');
  }
}

/** A model's new submission and its queued run with the run's adapter record; part of the caller's transaction. */
export async function insertSubmissionWithRun(
  tx: Transaction,
  modelId: number,
  input: SubmissionBase & { adapterSettings: RunAdapterSettings; endpointTokenEncrypted?: string | null },
) {
  const [submission] = await tx
    .insert(submissions)
    .values({ modelId, releaseId: input.releaseId, split: input.split, submittedBy: input.submittedBy })
    .returning();
  const [run] = await tx
    .insert(evaluationRuns)
    .values({
      submissionId: submission.id,
      scorerVersion: input.scorerVersion,
      adapterSettings: input.adapterSettings,
      endpointTokenEncrypted: input.endpointTokenEncrypted ?? null,
    })
    .returning();
  return { submission, run };
}

/**
 * Creates (or reuses) the team's model, then a submission and its queued run, in one transaction. The
 * model row shows the latest registration; the run keeps its own copy of URL, model and token, so a later
 * submission under the same names never changes what an earlier run calls.
 */
export async function createEndpointSubmission(db: Database, input: NewEndpointSubmission) {
  return db.transaction(async (tx) => {
    const team = await lockSubmittingTeam(tx, input.teamId, input.recheck);
    const existing = await findModelByKey(tx, team.id, input.modelNameKey);
    refuseLookAlike(existing, input.modelName);
    if (existing && existing.kind !== 'endpoint') {
      throw new SubmissionConflictError(`Model "${input.modelName}" of team "${team.name}" is an ONNX model; choose another model name.`, 'modelName');
    }
    const endpointTokenEncrypted = input.encryptToken?.(team.id) ?? null;
    const modelValues = { endpointUrl: input.endpointUrl, endpointModel: input.endpointModel, endpointTokenEncrypted, ...cardValues(input.card) };
    const [model] = existing
      ? await tx.update(models).set(modelValues).where(eq(models.id, existing.id)).returning()
      : await tx.insert(models).values({ teamId: team.id, name: input.modelName, nameKey: input.modelNameKey, kind: 'endpoint', ...modelValues }).returning();
    const adapterSettings: RunAdapterSettings = {
      kind: 'endpoint',
      url: input.endpointUrl,
      model: input.endpointModel,
      timeoutMs: input.adapterSettings?.timeoutMs ?? DEFAULT_ENDPOINT_TIMEOUT_MS,
      attempts: input.adapterSettings?.attempts ?? DEFAULT_ENDPOINT_ATTEMPTS,
      temperature: 0,
    };
    return { team, model, ...(await insertSubmissionWithRun(tx, model.id, { ...input, adapterSettings, endpointTokenEncrypted })) };
  });
}

/** The baselines' submission: under the platform's own team, named by that team's fixed name. */
export interface BaselineSubmission extends Omit<SubmissionBase, 'teamId' | 'submittedBy' | 'modelNameKey'> {
  teamName: string;
  /** The team name as compared (app/auth/name-key.ts): set at once, so no team can be created as a look-alike. */
  teamNameKey: string;
  baseline: BaselineRunSettings;
}

/**
 * The platform's own baseline under its system identity (a team flagged as the platform's, which no
 * submission can take). Returns null when the baseline model exists already (seeded on an earlier start).
 */
export async function createBaselineSubmission(db: Database, input: BaselineSubmission) {
  return db.transaction(async (tx) => {
    const [created] = await tx.insert(teams).values({ name: input.teamName, nameKey: input.teamNameKey, isBaseline: true }).onConflictDoNothing().returning();
    const [team] = created ? [created] : await tx.select().from(teams).where(eq(teams.name, input.teamName));
    if (!team.isBaseline) throw new SubmissionConflictError(`Team "${input.teamName}" exists and is not the platform's; baselines not seeded.`, 'teamId');
    const [model] = await tx
      .insert(models)
      .values({ teamId: team.id, name: input.modelName, kind: 'endpoint', endpointModel: input.baseline.model, isBaseline: true })
      .onConflictDoNothing()
      .returning();
    if (!model) return null;
    const base = { ...input, teamId: team.id, submittedBy: null, modelNameKey: input.modelName };
    return { team, model, ...(await insertSubmissionWithRun(tx, model.id, { ...base, adapterSettings: input.baseline })) };
  });
}
