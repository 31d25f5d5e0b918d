import { and, desc, eq } from 'drizzle-orm';
import type { Database } from '../client';
import type { ModelCard } from '../model-card';
import { evaluationRuns, leaderboardRows, models, modelVersions, releases, submissions, teams } from '../schema';

/** Who a model is and how it was submitted: what its public page states first. Never endpoint URLs or tokens. */
export async function getModelIdentity(db: Database, modelId: number) {
  const [row] = await db
    .select({
      id: models.id,
      name: models.name,
      kind: models.kind,
      isBaseline: models.isBaseline,
      teamId: teams.id,
      teamName: teams.name,
      createdAt: models.createdAt,
      parametersB: models.parametersB,
      baseModel: models.baseModel,
      weights: models.weights,
      licence: models.licence,
      paperUrl: models.paperUrl,
      codeUrl: models.codeUrl,
      weightsUrl: models.weightsUrl,
    })
    .from(models)
    .innerJoin(teams, eq(teams.id, models.teamId))
    .where(eq(models.id, modelId));
  return row;
}

/**
 * Every run of a model, newest first, with its published score where it has one: the page shows them all
 * (no selective disclosure), failed runs included.
 */
export async function listModelRuns(db: Database, modelId: number) {
  return db
    .select({
      runId: evaluationRuns.id,
      status: evaluationRuns.status,
      errorCode: evaluationRuns.errorCode,
      createdAt: evaluationRuns.createdAt,
      finishedAt: evaluationRuns.finishedAt,
      split: submissions.split,
      versionLabel: modelVersions.label,
      releaseName: releases.name,
      releaseVersion: releases.version,
      releaseId: releases.id,
      score: leaderboardRows.score,
      rank: leaderboardRows.rank,
      breakdown: leaderboardRows.breakdown,
      views: leaderboardRows.views,
      scorerVersion: leaderboardRows.scorerVersion,
    })
    .from(evaluationRuns)
    .innerJoin(submissions, eq(submissions.id, evaluationRuns.submissionId))
    .innerJoin(releases, eq(releases.id, submissions.releaseId))
    .leftJoin(modelVersions, eq(modelVersions.id, submissions.modelVersionId))
    // Runs the Ladder withheld list without a score.
    .leftJoin(leaderboardRows, and(eq(leaderboardRows.runId, evaluationRuns.id), eq(leaderboardRows.released, true)))
    .where(eq(submissions.modelId, modelId))
    .orderBy(desc(evaluationRuns.createdAt), desc(evaluationRuns.id));
}

/** Replaces a model's card (the model page's edit form). */
export async function updateModelCard(db: Database, modelId: number, card: ModelCard): Promise<void> {
  await db.update(models).set({ ...card, cardUpdatedAt: new Date() }).where(eq(models.id, modelId));
}
