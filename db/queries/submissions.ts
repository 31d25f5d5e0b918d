import { eq } from 'drizzle-orm';
import type { Database } from '../client';
import {
  DEFAULT_ENDPOINT_ATTEMPTS,
  DEFAULT_ENDPOINT_TIMEOUT_MS,
  type BaselineRunSettings,
  type RunAdapterSettings,
} from '../run-adapter-settings';
import { evaluationRuns, models, submissions, teams } from '../schema';

/** What every new submission names besides its model. */
export interface SubmissionBase {
  teamName: string;
  modelName: string;
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
    readonly field: 'teamName' | 'modelName',
  ) {
    super(message);
    this.name = 'SubmissionConflictError';
  }
}

export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];

/** Creates the team, or reuses it unless it is the platform's own (the baselines' system identity). */
export async function upsertSubmittingTeam(tx: Transaction, teamName: string) {
  const [team] = await tx
    .insert(teams)
    .values({ name: teamName })
    .onConflictDoUpdate({ target: teams.name, set: { name: teamName } })
    .returning();
  if (team.isBaseline) throw new SubmissionConflictError(`Team name "${teamName}" is reserved for the platform's baselines.`, 'teamName');
  return team;
}

/** A model's new submission and its queued run with the run's adapter record; part of the caller's transaction. */
export async function insertSubmissionWithRun(
  tx: Transaction,
  modelId: number,
  input: SubmissionBase & { adapterSettings: RunAdapterSettings; endpointTokenEncrypted?: string | null },
) {
  const [submission] = await tx.insert(submissions).values({ modelId, releaseId: input.releaseId, split: input.split }).returning();
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
 * Creates (or reuses) the team and model, then a submission and its queued run, in one transaction. The
 * model row shows the latest registration; the run keeps its own copy of URL, model and token, so a later
 * submission under the same names never changes what an earlier run calls.
 */
export async function createEndpointSubmission(db: Database, input: NewEndpointSubmission) {
  return db.transaction(async (tx) => {
    const team = await upsertSubmittingTeam(tx, input.teamName);
    const endpointTokenEncrypted = input.encryptToken?.(team.id) ?? null;
    const modelValues = { endpointUrl: input.endpointUrl, endpointModel: input.endpointModel, endpointTokenEncrypted };
    const [model] = await tx
      .insert(models)
      .values({ teamId: team.id, name: input.modelName, kind: 'endpoint', ...modelValues })
      .onConflictDoUpdate({ target: [models.teamId, models.name], set: modelValues })
      .returning();
    if (model.isBaseline) throw new SubmissionConflictError(`Model "${input.modelName}" is a platform baseline.`, 'modelName');
    if (model.kind !== 'endpoint') {
      throw new SubmissionConflictError(`Model "${input.modelName}" of team "${input.teamName}" is an ONNX model; choose another model name.`, 'modelName');
    }
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

/**
 * The platform's own baseline under its system identity (a team flagged as the platform's, which no
 * submission can take). Returns null when the baseline model exists already (seeded on an earlier start).
 */
export async function createBaselineSubmission(db: Database, input: SubmissionBase & { baseline: BaselineRunSettings }) {
  return db.transaction(async (tx) => {
    const [created] = await tx.insert(teams).values({ name: input.teamName, isBaseline: true }).onConflictDoNothing().returning();
    const [team] = created ? [created] : await tx.select().from(teams).where(eq(teams.name, input.teamName));
    if (!team.isBaseline) throw new SubmissionConflictError(`Team "${input.teamName}" exists and is not the platform's; baselines not seeded.`, 'teamName');
    const [model] = await tx
      .insert(models)
      .values({ teamId: team.id, name: input.modelName, kind: 'endpoint', endpointModel: input.baseline.model, isBaseline: true })
      .onConflictDoNothing()
      .returning();
    if (!model) return null;
    return { team, model, ...(await insertSubmissionWithRun(tx, model.id, { ...input, adapterSettings: input.baseline })) };
  });
}

/** True when `teamName` is the platform's own team (its baselines' system identity). */
export async function isPlatformTeam(db: Database, teamName: string): Promise<boolean> {
  const [row] = await db.select({ isBaseline: teams.isBaseline }).from(teams).where(eq(teams.name, teamName));
  return row?.isBaseline ?? false;
}
