import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { LeaderboardChart } from '../components/client-only-chart';
import { HiddenRunsNote, ModerationBadge } from '../components/moderation-badge';
import { ScoreCell } from '../components/score-cell';
import { loadLeaderboard } from '../utils/leaderboard-data.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Leaderboard · ${data.release.name} ${data.release.version}` : 'Leaderboard' },
];

export async function loader({ context, params }: LoaderFunctionArgs) {
  return loadLeaderboard(context.services.db, params.release ?? '');
}

export default function Leaderboard() {
  const { release, rows, policy, hiddenRuns } = useLoaderData<typeof loader>();
  const deterministic = rows.some((r) => r.reportMethod === 'deterministic');
  return (
    <>
      <h1>
        {release.name} {release.version} leaderboard
      </h1>
      <p className="note">
        {policy} Hidden test split: {release.testItems} items. Scores are 0–100 with 95% bootstrap intervals; ranks
        come from a paired bootstrap, and models whose difference is not significant share a rank. Overall is the
        item-count-weighted mean of text MCQ, image MCQ and report scores.{' '}
        <a href={`/api/leaderboard/${encodeURIComponent(release.slug)}`}>JSON</a>
      </p>
      {deterministic ? (
        <p className="note">Report scores come from the deterministic report check (no LLM judge is configured): key findings at the right level, invented levels, and the six sections.</p>
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
              <td>{r.rank}</td>
              <td>
                <Link to={`/runs/${r.runId}`}>{r.modelName}</Link>
                {r.isBaseline ? <span className="badge baseline">baseline</span> : null}
                {r.runBy === 'platform' ? (
                  <span className="badge confirmed" title="An ONNX artifact the platform ran itself: confirmed">run by the platform</span>
                ) : (
                  <span className="badge" title="A self-hosted endpoint saw the questions: provisional">self-hosted</span>
                )}
                <ModerationBadge moderation={r.moderation} />
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
      <HiddenRunsNote count={hiddenRuns} />
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
