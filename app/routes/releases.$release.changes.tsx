import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { RescoreChangeTable } from '../components/rescore-change-table';
import { loadPublicRelease } from '../utils/release-pages.server';
import { loadReleaseChangelog } from '../utils/rescore-changes.server';

export const meta: MetaFunction = ({ params }) => [{ title: `Changes · ${params.release ?? ''} · SpineBench Hub` }];

export async function loader({ context, params }: LoaderFunctionArgs) {
  const { db } = context.services;
  const release = await loadPublicRelease(db, params.release ?? '');
  return { rescores: await loadReleaseChangelog(db, release.id) };
}

/** A release's public changelog: every re-score, and each board row it moved (docs/decisions/282-rescore-changelog.md). */
export default function ReleaseChanges() {
  const { rescores } = useLoaderData<typeof loader>();
  return (
    <section>
      <h2>Changes</h2>
      <p className="note">
        When the scorer, the aggregation or the report judge changes, maintainers re-score this release from the stored model
        outputs (no model is asked again). Each re-score is listed here with the rows it moved: old and new score with the 95%
        interval, old and new rank with the rank interval, and why.
      </p>
      {rescores.length === 0 ? <p data-testid="no-changes">This release has not been re-scored.</p> : null}
      {rescores.map((j) => (
        <article key={j.id} id={`rescore-${j.id}`} data-testid="rescore" aria-labelledby={`rescore-${j.id}-title`}>
          <h3 id={`rescore-${j.id}-title`}>
            Re-score #{j.id}{j.finishedAt ? <>, <time dateTime={j.finishedAt}>{j.finishedAt.slice(0, 10)}</time></> : null}
          </h3>
          <p>
            {j.runs} runs re-scored with <code>{j.scorerVersion}</code>{j.reason ? <>. Why: {j.reason}</> : null}.
          </p>
          {j.changes.length === 0 ? (
            <p>Nothing on the boards moved.</p>
          ) : (
            <RescoreChangeTable changes={j.changes} show="model" caption={`Rows moved by re-score #${j.id}`} />
          )}
        </article>
      ))}
    </section>
  );
}
