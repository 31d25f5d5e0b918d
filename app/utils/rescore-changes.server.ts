import type { Database } from '../../db/client';
import { listModelRescoreHistory, listReleaseChangelog } from '../../db/queries/rescore-jobs';
import { releaseSlug } from '../../db/queries/releases';
import type { rescoreChanges } from '../../db/schema';

/** One moved row as the public pages show it (app/components/rescore-change-table.tsx). */
export interface ChangeView {
  jobId: number;
  runId: number;
  modelId: number;
  modelName: string;
  teamName: string;
  release: string;
  releaseSlug: string;
  split: 'dev' | 'test';
  finishedAt: string | null;
  old: { score: number; ci: [number, number] | null; rank: number | null; rankLow: number | null; rankHigh: number | null } | null;
  new: { score: number; ci: [number, number] | null; rank: number | null; rankLow: number | null; rankHigh: number | null } | null;
  reasons: string[];
}

type ChangeRow = typeof rescoreChanges.$inferSelect;

/**
 * The public view of a change. The old numbers of a row the Ladder had withheld are not shown: they were never
 * public (evaluator/scoring/ladder.ts). Pure.
 */
export function changeView(r: { jobId: number; finishedAt: Date | null; releaseName: string; releaseVersion: string; change: ChangeRow; modelName: string; teamName: string }): ChangeView {
  const c = r.change;
  return {
    jobId: r.jobId,
    runId: c.runId,
    modelId: c.modelId,
    modelName: r.modelName,
    teamName: r.teamName,
    release: `${r.releaseName} ${r.releaseVersion}`,
    releaseSlug: releaseSlug({ name: r.releaseName, version: r.releaseVersion }),
    split: c.split,
    finishedAt: r.finishedAt?.toISOString() ?? null,
    old: c.oldReleased && c.oldScore !== null ? { score: c.oldScore, ci: c.oldCi ?? null, rank: c.oldRank, rankLow: c.oldRankLow, rankHigh: c.oldRankHigh } : null,
    new: c.newScore !== null ? { score: c.newScore, ci: c.newCi ?? null, rank: c.newRank, rankLow: c.newRankLow, rankHigh: c.newRankHigh } : null,
    reasons: c.reasons,
  };
}

export async function loadReleaseChangelog(db: Database, releaseId: number) {
  const jobs = await listReleaseChangelog(db, releaseId);
  return jobs.map((j) => ({
    id: j.id,
    reason: j.reason,
    finishedAt: j.finishedAt?.toISOString() ?? null,
    scorerVersion: j.scorerVersion,
    runs: j.runs,
    changes: j.changes.map(changeView),
  }));
}

export async function loadModelRescoreHistory(db: Database, modelId: number): Promise<ChangeView[]> {
  return (await listModelRescoreHistory(db, modelId)).map(changeView);
}
