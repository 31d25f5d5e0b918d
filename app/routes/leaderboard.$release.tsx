import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { LeaderboardChart } from '../components/client-only-chart';
import { JudgeIdentity } from '../components/judge-identity';
import { RankCell, RankRuleNote } from '../components/rank-cell';
import { ScoreCell } from '../components/score-cell';
import { loadLeaderboard } from '../utils/leaderboard-data.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Leaderboard · ${data.release.name} ${data.release.version}` : 'Leaderboard' },
];

export async function loader({ context, params }: LoaderFunctionArgs) {
  return loadLeaderboard(context.services.db, params.release ?? '');
}

export default function Leaderboard() {
  const { release, rows, policy } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>
        {release.name} {release.version} leaderboard
      </h1>
      <p className="note">
        {policy} Hidden test split: {release.testItems} items. Scores are 0–100 with 95% intervals (Wilson for MCQ
        parts, stratified BCa bootstrap otherwise). Overall is the item-count-weighted mean of text MCQ, image MCQ and
        report scores.{' '}
        <a href={`/api/leaderboard/${encodeURIComponent(release.slug)}`}>JSON</a>
      </p>
      <RankRuleNote />
      {rows[0] ? <JudgeIdentity value={rows.find((r) => !r.stale) ?? rows[0]} /> : null}
      {rows.some((r) => r.stale) ? (
        <p className="note" data-testid="stale-note">
          Rows marked stale were scored by an earlier judge or scorer; they are not ranked with the others until re-scored.
        </p>
      ) : null}
      <table>
        <thead>
          <tr>
            <th>Rank</th><th>Model</th><th>Team</th><th className="num">Overall</th><th className="num">Text MCQ</th>
            <th className="num">Image MCQ</th><th className="num">Report</th><th className="num">Items</th><th>Evaluated</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.runId} data-testid="leaderboard-row">
              <RankCell value={r} />
              <td>
                <Link to={`/runs/${r.runId}`}>{r.modelName}</Link>
                {r.isBaseline ? <span className="badge baseline">baseline</span> : null}
                {r.runBy === 'platform' ? (
                  <span className="badge confirmed" title="An ONNX artifact the platform ran itself: confirmed">run by the platform</span>
                ) : (
                  <span className="badge" title="A self-hosted endpoint saw the questions: provisional">self-hosted</span>
                )}
              </td>
              <td>{r.teamName}</td>
              <ScoreCell value={r} />
              <ScoreCell value={r.parts.text_mcq} />
              <ScoreCell value={r.parts.image_mcq} />
              <ScoreCell value={r.parts.report} />
              <td className="num">{r.nItems}</td>
              <td>{r.evaluatedAt.slice(0, 10)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 ? <p>No evaluated runs yet.</p> : null}
      <LeaderboardChart
        rows={rows.map((r) => ({
          model: r.modelName,
          overall: r.score,
          overallCi: r.ci,
          textMcq: r.parts.text_mcq?.score ?? null,
          imageMcq: r.parts.image_mcq?.score ?? null,
          report: r.parts.report?.score ?? null,
        }))}
      />
    </>
  );
}
