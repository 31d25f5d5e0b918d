import { and, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Database } from '../client';
import type { OnnxRunSettings } from '../run-adapter-settings';
import { evaluationRuns, models, submissions } from '../schema';
import { cardValues, findModelByKey, insertSubmissionWithRun, lockSubmittingTeam, refuseLookAlike, SubmissionConflictError, type SubmissionBase } from './submissions';

export { SubmissionConflictError };

export interface NewOnnxSubmission extends SubmissionBase {
  /** Folder of the extracted, validated bundle. */
  artifactDir: string;
  artifactManifest: Record<string, unknown>;
  artifactBytes: number;
  /** The run's limits and decoding; the bundle folder is added from `artifactDir`. */
  adapterSettings: Omit<OnnxRunSettings, 'kind' | 'artifactDir'>;
}

/**
 * Creates (or reuses) the team's ONNX model, points the model at its new bundle, and creates a
 * submission with its queued run, in one transaction (the ONNX twin of createEndpointSubmission).
 * Refuses to swap the bundle of a model whose runs are still queued or running, since that would delete
 * the folder those runs read; the model row is locked first, so two uploads under the same names cannot
 * both pass the check. Returns the bundle folder the model used before, if any, so the caller can delete it.
 */
export async function createOnnxSubmission(db: Database, input: NewOnnxSubmission) {
  return db.transaction(async (tx) => {
    const team = await lockSubmittingTeam(tx, input.teamId, input.recheck);
    const existing = await findModelByKey(tx, team.id, input.modelNameKey);
    refuseLookAlike(existing, input.modelName);
    if (existing && existing.kind !== 'onnx') {
      throw new SubmissionConflictError(`Model "${input.modelName}" of team "${team.name}" is an endpoint model; choose another model name.`, 'modelName');
    }
    if (existing && existing.artifactDir !== input.artifactDir) {
      const busy = await tx
        .select({ id: evaluationRuns.id })
        .from(evaluationRuns)
        .where(and(inArray(evaluationRuns.status, ['queued', 'running']), sql`${evaluationRuns.adapterSettings}->>'artifactDir' = ${existing.artifactDir}`));
      if (busy.length > 0) {
        throw new SubmissionConflictError(
          `Model "${input.modelName}" still has run ${busy.map((r) => `#${r.id}`).join(', ')} in progress on its current bundle; ` +
            'wait for it to end, or upload under another model name.',
          'modelName',
        );
      }
    }
    const artifact = { artifactDir: input.artifactDir, artifactManifest: input.artifactManifest, artifactBytes: input.artifactBytes, ...cardValues(input.card) };
    const [model] = existing
      ? await tx.update(models).set(artifact).where(eq(models.id, existing.id)).returning()
      : await tx.insert(models).values({ teamId: team.id, name: input.modelName, nameKey: input.modelNameKey, kind: 'onnx', ...artifact }).returning();
    const adapterSettings: OnnxRunSettings = { ...input.adapterSettings, kind: 'onnx', artifactDir: input.artifactDir };
    const { submission, run } = await insertSubmissionWithRun(tx, model.id, { ...input, adapterSettings });
    const replacedArtifactDir = existing?.artifactDir && existing.artifactDir !== input.artifactDir ? existing.artifactDir : null;
    return { team, model, submission, run, replacedArtifactDir };
  });
}

/**
 * Device, runtime versions, load time and memory plan of an ONNX run (recorded by the worker for each
 * shard it serves). Merged into what is there, so a later shard keeps the peak memory an earlier one recorded.
 */
export async function recordRunRuntimeInfo(db: Database, runId: number, runtimeInfo: Record<string, unknown>) {
  await db
    .update(evaluationRuns)
    .set({ runtimeInfo: sql`coalesce(${evaluationRuns.runtimeInfo}, '{}'::jsonb) || ${JSON.stringify(runtimeInfo)}::jsonb` })
    .where(eq(evaluationRuns.id, runId));
}

/** Highest resident memory of the run's runner child, kept as the maximum over the shards (bytes). */
export async function recordRunPeakMemory(db: Database, runId: number, peakRssBytes: number) {
  await db
    .update(evaluationRuns)
    .set({
      runtimeInfo: sql`coalesce(${evaluationRuns.runtimeInfo}, '{}'::jsonb) || jsonb_build_object('peakRssBytes',
        greatest(coalesce((${evaluationRuns.runtimeInfo}->>'peakRssBytes')::bigint, 0), ${Math.round(peakRssBytes)}::bigint))`,
    })
    .where(eq(evaluationRuns.id, runId));
}

export async function getRunSplit(db: Database, runId: number): Promise<'dev' | 'test' | undefined> {
  const [row] = await db
    .select({ split: submissions.split })
    .from(evaluationRuns)
    .innerJoin(submissions, eq(submissions.id, evaluationRuns.submissionId))
    .where(eq(evaluationRuns.id, runId));
  return row?.split;
}

/** Every bundle folder a model or an unfinished run points at: what a sweep of DATA_DIR/models must keep. */
export async function listReferencedArtifactDirs(db: Database): Promise<Set<string>> {
  const rows = await db.select({ dir: models.artifactDir }).from(models).where(isNotNull(models.artifactDir));
  const runDir = sql<string | null>`${evaluationRuns.adapterSettings}->>'artifactDir'`;
  const runs = await db
    .select({ dir: runDir })
    .from(evaluationRuns)
    .where(and(inArray(evaluationRuns.status, ['queued', 'running']), isNotNull(runDir)));
  return new Set([...rows, ...runs].map((r) => r.dir!));
}
