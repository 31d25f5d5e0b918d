import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
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
        {policy} Hidden test split: {release.testItems} items. Scores are accuracy in percent.{' '}
        <a href={`/api/leaderboard/${encodeURIComponent(release.slug)}`}>JSON</a>
      </p>
      <table>
        <thead>
          <tr><th>Rank</th><th>Model</th><th>Team</th><th className="num">Score</th><th className="num">Items</th><th>Evaluated</th></tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.runId} data-testid="leaderboard-row">
              <td>{r.rank}</td>
              <td>
                <Link to={`/runs/${r.runId}`}>{r.modelName}</Link>
                {r.isBaseline ? <span className="badge baseline">baseline</span> : null}
              </td>
              <td>{r.teamName}</td>
              <td className="num">{r.score.toFixed(1)}</td>
              <td className="num">{r.nItems}</td>
              <td>{r.evaluatedAt.slice(0, 10)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 ? <p>No evaluated runs yet.</p> : null}
    </>
  );
}
