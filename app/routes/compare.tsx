import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import type { CompareDiff, CompareGroup, CompareRow } from '../../evaluator/scoring/compare-models';
import { MAX_COMPARED, MIN_SHARED_ITEMS } from '../../evaluator/scoring/compare-models';
import { MODALITY_LABELS, REGION_LABELS, SKILL_LABELS } from '../utils/board-table';
import { loadComparison } from '../utils/compare.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data
      ? data.chosen.length >= 2
        ? `Compare ${data.chosen.map((c) => c.model).join(' vs ')} · ${data.release.name} ${data.release.version} · SpineBench Hub`
        : `Compare models · ${data.release.name} ${data.release.version} · SpineBench Hub`
      : 'Compare models · SpineBench Hub',
  },
];

export async function loader({ context, request }: LoaderFunctionArgs) {
  return loadComparison(context.services.db, new URL(request.url).searchParams);
}

const GROUPS: Array<{ group: CompareGroup; title: string }> = [
  { group: 'overall', title: 'Overall and parts' },
  { group: 'skill', title: 'Clinical skills' },
  { group: 'modality', title: 'Modality' },
  { group: 'level', title: 'Level identification (exact level)' },
];

function rowLabel(key: string): string {
  const fixed: Record<string, string> = { overall: 'Overall', text_mcq: 'Text MCQ', image_mcq: 'Image MCQ', report: 'Report', level_exact: 'All regions' };
  if (fixed[key]) return fixed[key];
  if (key.startsWith('skill_')) return SKILL_LABELS[key.slice(6)] ?? key;
  if (key.startsWith('modality_')) return MODALITY_LABELS[key.slice(9) as keyof typeof MODALITY_LABELS] ?? key;
  if (key.startsWith('level_exact_')) return REGION_LABELS[key.slice(12)] ?? key;
  return key;
}

const signed = (x: number) => `${x > 0 ? '+' : x < 0 ? '−' : '±'}${Math.abs(x).toFixed(1)}`;

function DiffCell({ diff, testId }: { diff: CompareDiff | null; testId: string }) {
  if (!diff) return <td className="num" data-testid={testId}>—</td>;
  if ('tooFew' in diff) {
    return (
      <td className="num note" data-testid={testId} title={`Fewer than ${MIN_SHARED_ITEMS} shared items`}>
        too few items ({diff.tooFew})
      </td>
    );
  }
  return (
    <td className="num diff" data-testid={testId} data-significant={diff.significant ? 'yes' : 'no'}>
      <strong>{signed(diff.diff)}</strong>{' '}
      <span className="ci">[{signed(diff.ci[0])} to {signed(diff.ci[1])}]</span>{' '}
      {diff.significant ? <span className="badge significant">significant</span> : <span className="badge">not significant</span>}
      <span className="ci"> n={diff.n}</span>
    </td>
  );
}

function GroupTable({ title, rows, models }: { title: string; rows: CompareRow[]; models: Array<{ model: string }> }) {
  if (rows.length === 0) return null;
  const ref = models[0].model;
  return (
    <section aria-labelledby={`h-${title}`}>
      <h2 id={`h-${title}`}>{title}</h2>
      <div className="table-scroll" role="region" aria-label={title} tabIndex={0}>
        <table className="compare-table" data-testid="compare-table">
          <thead>
            <tr>
              <th scope="col">Items</th>
              {models.map((m, i) => (
                <th scope="col" key={`m${i}`} className="num">{m.model}{i === 0 ? ' (reference)' : ''}</th>
              ))}
              {models.slice(1).map((m, i) => (
                <th scope="col" key={`d${i}`} className="num">{m.model} − {ref} [95% CI]</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key} data-row={r.key}>
                <th scope="row">{rowLabel(r.key)}</th>
                {r.models.map((c, i) => (
                  <td className="num" key={`m${i}`} data-testid={`score-${r.key}-${i}`}>
                    {c ? (
                      <>
                        <strong>{c.score.toFixed(1)}</strong> <span className="ci">[{c.ci[0].toFixed(1)}–{c.ci[1].toFixed(1)}] n={c.n}</span>
                      </>
                    ) : '—'}
                  </td>
                ))}
                {r.diffs.map((d, i) => (
                  <DiffCell key={`d${i}`} diff={d} testId={`diff-${r.key}-${i + 1}`} />
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** `/compare?release=<slug>&models=1,2`: 2–4 models of one board side by side, with paired differences. */
export default function Compare() {
  const { release, releases, candidates, chosen, problems, rows, reportsLeftOut } = useLoaderData<typeof loader>();
  const chosenIds = new Set(chosen.map((c) => c.modelId));
  const shareHref = `/compare?release=${encodeURIComponent(release.slug)}&models=${chosen.map((c) => c.modelId).join(',')}`;
  return (
    <>
      <h1>
        Compare models · {release.name} {release.version}
        {release.synthetic ? <span className="badge synthetic" title="Every item of this release was generated by a program">synthetic</span> : null}
      </h1>
      <p>
        Pick two to four models of this board. Each is shown by the run the board counts; the first you pick is the
        reference, and every other model's difference from it is tested on the <strong>same items</strong> by a paired
        bootstrap.
      </p>
      <Form method="get" action="/compare" className="compare-form" aria-label="Models to compare">
        {releases.length > 1 ? (
          <label>
            Release{' '}
            <select name="release" defaultValue={release.slug}>
              {releases.map((r) => (
                <option key={r.slug} value={r.slug}>{r.label}</option>
              ))}
            </select>
          </label>
        ) : (
          <input type="hidden" name="release" value={release.slug} />
        )}
        <fieldset>
          <legend>Models (up to {MAX_COMPARED})</legend>
          <ul className="compare-choices">
            {chosen.concat(candidates.filter((c) => !chosenIds.has(c.modelId))).map((c) => (
              <li key={c.modelId}>
                <label>
                  <input type="checkbox" name="models" value={c.modelId} defaultChecked={chosenIds.has(c.modelId)} data-testid={`pick-${c.model}`} /> {c.model}
                  <span className="note"> · {c.team}</span>
                  {c.baseline ? <span className="badge baseline">baseline</span> : null}
                  {c.stale ? <span className="badge stale">stale</span> : null}
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
        <button type="submit" data-testid="compare-submit">Compare</button>
      </Form>
      {problems.length > 0 ? (
        <ul className="error-box" role="alert" data-testid="compare-problems">
          {problems.map((p) => <li key={p}>{p}</li>)}
        </ul>
      ) : null}
      {rows ? (
        <>
          <p className="note">
            Link to this comparison: <Link to={shareHref} data-testid="share-link">{shareHref}</Link>
          </p>
          {reportsLeftOut ? (
            <p className="note" role="status" data-testid="reports-left-out">
              These models' reports were scored by different judges (or one by the deterministic check): report items are left out of every row, which compares multiple-choice items only.
            </p>
          ) : null}
          {GROUPS.map((g) => (
            <GroupTable key={g.group} title={g.title} rows={rows.filter((r) => r.group === g.group || (g.group === 'overall' && r.group === 'part'))} models={chosen} />
          ))}
          <section className="provenance note" aria-label="How differences are computed">
            <p>
              Scores are 0–100 with their 95% interval in brackets and the number of items (n). A difference is the model's mean minus the
              reference's mean on the items both have a valid score for; its 95% interval comes from 2,000 paired bootstrap resamples that draw
              the same items for both models (within each part for the overall row, as the board does). "Significant" means the interval excludes 0 — for that one comparison; with
              many rows, a few may be significant by chance. Rows with fewer than {MIN_SHARED_ITEMS} shared items show no difference.
            </p>
            <p>Hidden test split: only these aggregates are shown, never a single item.</p>
          </section>
        </>
      ) : (
        <p data-testid="compare-empty">{candidates.length < 2 ? 'This board has fewer than two models yet.' : 'Choose at least two models to compare.'}</p>
      )}
    </>
  );
}
