import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Database } from '../client';
import { insertSubmissionWithRun } from './submissions';
import { evaluationRuns, models, submissions, teams } from '../schema';

export interface NewOnnxSubmission {
  teamName: string;
  modelName: string;
  /** Folder of the extracted, validated bundle. */
  artifactDir: string;
  artifactManifest: Record<string, unknown>;
  artifactBytes: number;
  releaseId: number;
  split: 'dev' | 'test';
  scorerVersion: string;
  adapterSettings: Record<string, unknown>;
}

/** The model name is taken by an endpoint model, or the model still has runs in flight on its bundle. */
export class SubmissionConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SubmissionConflictError';
  }
}

/**
 * Creates (or reuses) the team and ONNX model, points the model at its new bundle, and creates a
 * submission with its queued run, in one transaction (the ONNX twin of createEndpointSubmission).
 * Refuses to swap the bundle of a model whose runs are still queued or running, since those runs read
 * the model's bundle. Returns the bundle folder the model used before, if any, so the caller can delete it.
 */
export async function createOnnxSubmission(db: Database, input: NewOnnxSubmission) {
  return db.transaction(async (tx) => {
    const [team] = await tx
      .insert(teams)
      .values({ name: input.teamName })
      .onConflictDoUpdate({ target: teams.name, set: { name: input.teamName } })
      .returning();
    const [existing] = await tx.select().from(models).where(and(eq(models.teamId, team.id), eq(models.name, input.modelName)));
    if (existing && existing.kind !== 'onnx') {
      throw new SubmissionConflictError(`Model "${input.modelName}" of team "${input.teamName}" is an endpoint model; choose another model name.`);
    }
    if (existing && existing.artifactDir !== input.artifactDir) {
      const busy = await tx
        .select({ id: evaluationRuns.id })
        .from(evaluationRuns)
        .innerJoin(submissions, eq(submissions.id, evaluationRuns.submissionId))
        .where(and(eq(submissions.modelId, existing.id), inArray(evaluationRuns.status, ['queued', 'running'])));
      if (busy.length > 0) {
        throw new SubmissionConflictError(
          `Model "${input.modelName}" still has run ${busy.map((r) => `#${r.id}`).join(', ')} in progress on its current bundle; ` +
            'wait for it to end, or upload under another model name.',
        );
      }
    }
    const artifact = { artifactDir: input.artifactDir, artifactManifest: input.artifactManifest, artifactBytes: input.artifactBytes };
    const [model] = existing
      ? await tx.update(models).set(artifact).where(eq(models.id, existing.id)).returning()
      : await tx.insert(models).values({ teamId: team.id, name: input.modelName, kind: 'onnx', ...artifact }).returning();
    const { submission, run } = await insertSubmissionWithRun(tx, model.id, input);
    const replacedArtifactDir = existing?.artifactDir && existing.artifactDir !== input.artifactDir ? existing.artifactDir : null;
    return { team, model, submission, run, replacedArtifactDir };
  });
}

/** Device and runtime versions an ONNX run used (recorded by the worker for each shard it serves). */
export async function recordRunRuntimeInfo(db: Database, runId: number, runtimeInfo: Record<string, unknown>) {
  await db.update(evaluationRuns).set({ runtimeInfo }).where(eq(evaluationRuns.id, runId));
}

export async function getRunSplit(db: Database, runId: number): Promise<'dev' | 'test' | undefined> {
  const [row] = await db
    .select({ split: submissions.split })
    .from(evaluationRuns)
    .innerJoin(submissions, eq(submissions.id, evaluationRuns.submissionId))
    .where(eq(evaluationRuns.id, runId));
  return row?.split;
}

/** Every bundle folder a model points at: what a sweep of DATA_DIR/models must keep. */
export async function listReferencedArtifactDirs(db: Database): Promise<Set<string>> {
  const rows = await db.select({ dir: models.artifactDir }).from(models).where(isNotNull(models.artifactDir));
  return new Set(rows.map((r) => r.dir!));
}
