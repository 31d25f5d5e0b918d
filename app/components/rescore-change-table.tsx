import { Link } from '@remix-run/react';
import type { ChangeView } from '../utils/rescore-changes.server';

type Numbers = ChangeView['old'];

const score = (n: Numbers) => (n ? `${n.score.toFixed(1)}${n.ci ? ` [${n.ci[0].toFixed(1)}–${n.ci[1].toFixed(1)}]` : ''}` : '—');
const rank = (n: Numbers) => (n?.rank == null ? '—' : `${n.rank}${n.rankLow != null && n.rankHigh != null ? ` (${n.rankLow}–${n.rankHigh})` : ''}`);

/**
 * What a re-score moved: old and new score with its 95% interval, old and new rank with its rank interval, and why.
 * `show`: the model column (on a release's changelog) or the release column (on a model's page).
 */
export function RescoreChangeTable({ changes, show, caption }: { changes: ChangeView[]; show: 'model' | 'release'; caption: string }) {
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={caption}>
      <table data-testid="rescore-changes">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{show === 'model' ? 'Model' : 'Release'}</th>
            <th scope="col">Split</th>
            <th scope="col">Old score [95% CI]</th>
            <th scope="col">New score [95% CI]</th>
            <th scope="col">Old rank (interval)</th>
            <th scope="col">New rank (interval)</th>
            <th scope="col">Why</th>
          </tr>
        </thead>
        <tbody>
          {changes.map((c) => (
            <tr key={`${c.jobId}-${c.runId}`} data-run-id={c.runId}>
              <th scope="row">
                {show === 'model' ? (
                  <><Link to={`/models/${c.modelId}`}>{c.modelName}</Link> <span className="note">{c.teamName}</span></>
                ) : (
                  <Link to={`/releases/${encodeURIComponent(c.releaseSlug)}/changes#rescore-${c.jobId}`}>{c.release}</Link>
                )}
              </th>
              <td>{c.split === 'test' ? 'hidden' : 'dev'}</td>
              <td className="num" data-testid="old-score">{score(c.old)}</td>
              <td className="num" data-testid="new-score">{score(c.new)}</td>
              <td className="num" data-testid="old-rank">{rank(c.old)}</td>
              <td className="num" data-testid="new-rank">{rank(c.new)}</td>
              <td data-testid="reasons">{c.reasons.join('; ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
