import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { ModelCardForm } from '../components/model-card-form';
import { canEditCard, saveModelCard } from '../models/model-card-edit.server';
import { ModelBadges } from '../components/model-badges';
import { RunBreakdown } from '../components/run-breakdown';
import { loadModelPage } from '../utils/model-page.server';
import { RescoreChangeTable } from '../components/rescore-change-table';
import { loadModelRescoreHistory } from '../utils/rescore-changes.server';

export const meta: MetaFunction<typeof loader> = ({ data, params }) => [
  { title: data ? `${data.model.name} by ${data.model.teamName} · SpineBench Hub` : `Model #${params.id} not found · SpineBench Hub` },
];

export async function loader({ context, params, request }: LoaderFunctionArgs) {
  const page = await loadModelPage(context.services.db, params.id);
  return { ...page, rescores: await loadModelRescoreHistory(context.services.db, page.model.id), canEdit: await canEditCard(request, context.services, page.model) };
}

export async function action({ context, params, request }: ActionFunctionArgs) {
  const page = await loadModelPage(context.services.db, params.id);
  return saveModelCard(request, context.services, page.model.id, await request.formData());
}

export default function ModelPage() {
  const { model, headline, history, rescores, canEdit } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  return (
    <>
      <h1>
        {model.name} <ModelBadges isBaseline={model.isBaseline} runBy={model.runBy} />
      </h1>
      <table className="facts" data-testid="model-identity">
        <tbody>
          <tr><th scope="row">Team</th><td>{model.teamName}</td></tr>
          <tr><th scope="row">Submission kind</th><td>{model.kind === 'onnx' ? 'ONNX artifact' : 'OpenAI-compatible endpoint'}</td></tr>
          <tr>
            <th scope="row">Run by</th>
            <td>{model.runBy === 'platform' ? 'the platform (confirmed: nobody outside saw the questions)' : 'the team (self-hosted endpoint: provisional)'}</td>
          </tr>
          {model.parametersB !== null ? <tr><th scope="row">Size</th><td>{`${model.parametersB} B parameters`}</td></tr> : null}
          {model.weights ? <tr><th scope="row">Weights</th><td>{`${model.weights === 'open' ? 'open' : 'closed'}${model.licence ? ` (${model.licence})` : ''}`}</td></tr> : null}
          {model.baseModel ? <tr><th scope="row">Base model</th><td>{model.baseModel}</td></tr> : null}
          {model.paperUrl || model.codeUrl || model.weightsUrl ? (
            <tr>
              <th scope="row">Links</th>
              <td>
                {[['paper', model.paperUrl], ['code', model.codeUrl], ['weights', model.weightsUrl]]
                  .filter(([, u]) => u && /^https?:\/\//.test(u))
                  .map(([label, u], i) => (
                    <span key={label}>{i > 0 ? ' · ' : ''}<a href={u!} rel="noopener noreferrer nofollow">{label}</a></span>
                  ))}
              </td>
            </tr>
          ) : null}
          <tr><th scope="row">Registered</th><td>{model.createdAt.slice(0, 10)}</td></tr>
        </tbody>
      </table>
      {canEdit ? (
        <details className="card-edit" open={!!answer && !answer.saved}>
          <summary>Edit the model card</summary>
          <Form method="post" className="stack" aria-label="Model card">
            <ModelCardForm card={model} errors={answer?.cardErrors ?? {}} />
            <button type="submit">Save the card</button>
          </Form>
        </details>
      ) : null}
      {answer?.saved ? <p role="status" data-testid="card-saved">The model card was saved.</p> : null}
      {headline ? (
        <>
          <p className="note" data-testid="headline-source">
            Breakdown of run <Link to={`/runs/${headline.runId}`}>#{headline.runId}</Link> on{' '}
            <Link to={`/leaderboard/${encodeURIComponent(headline.releaseSlug)}`}>{headline.release}</Link> (hidden test split, the latest
            published run; rank {headline.rank ?? '—'}), scorer {headline.scorerVersion}. Scores 0–100 with 95% bootstrap intervals.
          </p>
          <RunBreakdown name={model.name} breakdown={headline.breakdown} views={headline.views} />
        </>
      ) : (
        <p>No published hidden-split run yet.</p>
      )}
      <h2>Runs and versions</h2>
      <p className="note">Every run of this model stays on record here, including failed ones.</p>
      <div className="table-scroll" role="region" aria-label="Run history" tabIndex={0}>
        <table data-testid="model-history">
          <thead>
            <tr>
              <th scope="col">Run</th><th scope="col">Release</th><th scope="col">Split</th><th scope="col">Version</th>
              <th scope="col">Status</th><th scope="col" className="num">Overall</th><th scope="col" className="num">Rank</th><th scope="col">Started</th>
            </tr>
          </thead>
          <tbody>
            {history.map((r) => (
              <tr key={r.runId}>
                <td><Link to={`/runs/${r.runId}`}>#{r.runId}</Link></td>
                <td>{r.release}</td>
                <td>{r.split === 'test' ? 'hidden test' : 'dev'}</td>
                <td>{r.versionLabel ?? '—'}</td>
                <td className={`status-${r.status}`}>{r.status}{r.errorCode ? ` (${r.errorCode})` : ''}</td>
                <td className="num">
                  {r.score ? (
                    <>
                      <strong>{r.score.score.toFixed(1)}</strong>
                      {r.score.ci ? <span className="ci"> [{r.score.ci[0].toFixed(1)}–{r.score.ci[1].toFixed(1)}]</span> : null}
                    </>
                  ) : '—'}
                </td>
                <td className="num">{r.rank ?? '—'}</td>
                <td>{r.createdAt.slice(0, 16).replace('T', ' ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rescores.length > 0 ? (
        <>
          <h2>Score history</h2>
          <p className="note">Scores this model had before a re-score (a scorer, aggregation or judge change), and what they became.</p>
          <RescoreChangeTable changes={rescores} show="release" caption="Score changes from re-scores" />
        </>
      ) : null}
    </>
  );
}
