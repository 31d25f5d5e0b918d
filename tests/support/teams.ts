/** Teams as database-level tests need them: a registered team row (the web creates them through /teams/new). */
import { eq } from 'drizzle-orm';
import { nameKey } from '../../app/auth/name-key';
import type { Database } from '../../db/client';
import { teams } from '../../db/schema';

/** The id of the team called `name`, inserted when missing. */
export async function teamId(db: Database, name: string): Promise<number> {
  const [created] = await db.insert(teams).values({ name, nameKey: nameKey(name) }).onConflictDoNothing().returning({ id: teams.id });
  if (created) return created.id;
  const [found] = await db.select({ id: teams.id }).from(teams).where(eq(teams.name, name));
  return found.id;
}

/** What createEndpointSubmission / createOnnxSubmission need to name a team's model in a test. */
export async function submitterOf(db: Database, teamName: string, modelName: string) {
  return { teamId: await teamId(db, teamName), submittedBy: null, modelName, modelNameKey: nameKey(modelName) };
}
