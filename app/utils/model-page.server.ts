import { data } from '@remix-run/node';
import type { Database } from '../../db/client';
import { getModelIdentity, listModelRuns } from '../../db/queries/model-pages';
import { releaseSlug } from '../../db/queries/releases';
import type { BoardViews } from '../../evaluator/scoring/board-views';
import type { StoredBreakdown } from '../components/run-breakdown';

/** A model's public page: identity, its headline (latest published hidden-split) breakdown, and every run. */
export async function loadModelPage(db: Database, idParam: string | undefined) {
  const id = Number(idParam);
  const model = Number.isInteger(id) && id > 0 ? await getModelIdentity(db, id) : undefined;
  if (!model) throw data(`No model #${idParam}.`, { status: 404 });
  const runs = await listModelRuns(db, id);
  const headline = runs.find((r) => r.split === 'test' && r.score !== null && r.breakdown);
  const history = runs.map((r) => {
    const b = r.breakdown as StoredBreakdown | null;
    return {
      runId: r.runId,
      status: r.status,
      errorCode: r.errorCode,
      split: r.split,
      versionLabel: r.versionLabel,
      release: `${r.releaseName} ${r.releaseVersion}`,
      releaseSlug: releaseSlug({ name: r.releaseName, version: r.releaseVersion }),
      score: r.score === null ? null : { score: r.score, n: b?.overall?.n ?? 0, ci: b?.overall?.ci ?? null },
      rank: r.rank,
      scorerVersion: r.scorerVersion,
      createdAt: r.createdAt.toISOString(),
    };
  });
  return {
    model: { ...model, createdAt: model.createdAt.toISOString(), runBy: model.kind === 'onnx' || model.isBaseline ? ('platform' as const) : ('self-hosted' as const) },
    headline: headline
      ? {
          runId: headline.runId,
          release: `${headline.releaseName} ${headline.releaseVersion}`,
          releaseSlug: releaseSlug({ name: headline.releaseName, version: headline.releaseVersion }),
          scorerVersion: headline.scorerVersion,
          rank: headline.rank,
          breakdown: headline.breakdown as StoredBreakdown,
          views: (headline.views as BoardViews | null) ?? null,
        }
      : null,
    history,
  };
}
