import { and, desc, eq, isNotNull } from 'drizzle-orm';
import type { Database } from '../client';
import { endpointHostVerifications, evaluationRuns, models, submissions } from '../schema';

export type EndpointVerificationRow = typeof endpointHostVerifications.$inferSelect;

export async function listTeamVerifications(db: Database, teamId: number): Promise<EndpointVerificationRow[]> {
  return db.select().from(endpointHostVerifications).where(eq(endpointHostVerifications.teamId, teamId)).orderBy(desc(endpointHostVerifications.id));
}

/** The team's verification of an origin, created with `token` when there is none yet (an existing token is kept). */
export async function ensureVerification(db: Database, input: { teamId: number; origin: string; token: string; createdBy: string }): Promise<EndpointVerificationRow> {
  await db.insert(endpointHostVerifications).values(input).onConflictDoNothing();
  const [row] = await db
    .select()
    .from(endpointHostVerifications)
    .where(and(eq(endpointHostVerifications.teamId, input.teamId), eq(endpointHostVerifications.origin, input.origin)));
  return row;
}

export async function findTeamVerification(db: Database, teamId: number, id: number): Promise<EndpointVerificationRow | undefined> {
  const [row] = await db.select().from(endpointHostVerifications).where(and(eq(endpointHostVerifications.id, id), eq(endpointHostVerifications.teamId, teamId)));
  return row;
}

export async function recordCheck(db: Database, id: number, outcome: { ok: true } | { ok: false; error: string }, now = new Date()): Promise<void> {
  await db
    .update(endpointHostVerifications)
    .set(outcome.ok ? { verifiedAt: now, checkedAt: now, lastError: null } : { verifiedAt: null, checkedAt: now, lastError: outcome.error })
    .where(eq(endpointHostVerifications.id, id));
}

/** The endpoint URL and team of a run's model (null for ONNX and baseline runs). */
export async function runEndpoint(db: Database, runId: number): Promise<{ teamId: number; endpointUrl: string } | null> {
  const [row] = await db
    .select({ teamId: models.teamId, endpointUrl: models.endpointUrl })
    .from(evaluationRuns)
    .innerJoin(submissions, eq(submissions.id, evaluationRuns.submissionId))
    .innerJoin(models, eq(models.id, submissions.modelId))
    .where(and(eq(evaluationRuns.id, runId), eq(models.kind, 'endpoint')));
  return row?.endpointUrl ? { teamId: row.teamId, endpointUrl: row.endpointUrl } : null;
}

/** Origins the team has verified (last check passed). */
export async function verifiedOrigins(db: Database, teamId: number): Promise<Set<string>> {
  const rows = await db
    .select({ origin: endpointHostVerifications.origin })
    .from(endpointHostVerifications)
    .where(and(eq(endpointHostVerifications.teamId, teamId), isNotNull(endpointHostVerifications.verifiedAt)));
  return new Set(rows.map((r) => r.origin));
}
