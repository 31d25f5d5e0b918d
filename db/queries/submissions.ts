import { and, eq } from 'drizzle-orm';
import type { Database } from '../client';
import { evaluationRuns, models, submissions, teams } from '../schema';

export interface NewEndpointSubmission {
  teamName: string;
  modelName: string;
  endpointUrl: string;
  endpointModel: string;
  /** Encrypts the team's bearer token for the model's team id; omitted when there is no token. */
  encryptToken?: (teamId: number) => string;
  releaseId: number;
  split: 'dev' | 'test';
  scorerVersion: string;
  adapterSettings: Record<string, unknown>;
  isBaseline?: boolean;
}

type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];

/** A model's new submission and its queued run; part of the caller's transaction. */
export async function insertSubmissionWithRun(
  tx: Transaction,
  modelId: number,
  input: { releaseId: number; split: 'dev' | 'test'; scorerVersion: string; adapterSettings: Record<string, unknown> },
) {
  const [submission] = await tx.insert(submissions).values({ modelId, releaseId: input.releaseId, split: input.split }).returning();
  const [run] = await tx
    .insert(evaluationRuns)
    .values({ submissionId: submission.id, scorerVersion: input.scorerVersion, adapterSettings: input.adapterSettings })
    .returning();
  return { submission, run };
}

/** Creates (or reuses) the team and model, then a submission and its queued run, in one transaction. */
export async function createEndpointSubmission(db: Database, input: NewEndpointSubmission) {
  return db.transaction(async (tx) => {
    const [team] = await tx
      .insert(teams)
      .values({ name: input.teamName, isBaseline: input.isBaseline ?? false })
      .onConflictDoUpdate({ target: teams.name, set: { name: input.teamName } })
      .returning();
    const modelValues = {
      endpointUrl: input.endpointUrl,
      endpointModel: input.endpointModel,
      endpointTokenEncrypted: input.encryptToken?.(team.id) ?? null,
    };
    const [model] = await tx
      .insert(models)
      .values({ teamId: team.id, name: input.modelName, kind: 'endpoint', isBaseline: input.isBaseline ?? false, ...modelValues })
      .onConflictDoUpdate({ target: [models.teamId, models.name], set: modelValues })
      .returning();
    return { team, model, ...(await insertSubmissionWithRun(tx, model.id, input)) };
  });
}

export async function findModel(db: Database, teamName: string, modelName: string) {
  const [row] = await db
    .select({ model: models })
    .from(models)
    .innerJoin(teams, eq(teams.id, models.teamId))
    .where(and(eq(teams.name, teamName), eq(models.name, modelName)));
  return row?.model;
}

export async function updateModelEndpointUrl(db: Database, modelId: number, endpointUrl: string) {
  await db.update(models).set({ endpointUrl }).where(eq(models.id, modelId));
}
