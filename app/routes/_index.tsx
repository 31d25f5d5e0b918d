import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { listVisibleReleases, releaseSlug } from '../../db/queries/releases';
import { listRecentRuns } from '../../db/queries/runs';

export const meta: MetaFunction = () => [{ title: 'SpineBench Hub' }];

export async function loader({ context }: LoaderFunctionArgs) {
  const { db } = context.services;
  const releases = await listVisibleReleases(db);
  const runs = await listRecentRuns(db, 10);
  return {
    releases: releases.map((r) => ({ slug: releaseSlug(r), name: r.name, version: r.version, status: r.status })),
    runs: runs.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })),
  };
}

export default function Home() {
  const { releases, runs } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>SpineBench Hub</h1>
      <p>
        Leaderboards for vision-language models on spine imaging: vertebral level identification, pathology
        assessment and surgical planning across X-ray, CT and MRI, scored on a hidden test split.
      </p>
      <h2>Benchmark releases</h2>
      <ul>
        {releases.map((r) => (
          <li key={r.slug}>
            <Link to={`/leaderboard/${encodeURIComponent(r.slug)}`}>
              {r.name} {r.version}
            </Link>
            {r.status === 'deprecated' ? <span className="badge">deprecated</span> : null}
            {' · '}
            <Link to={`/releases/${encodeURIComponent(r.slug)}`}>release details</Link>
            {' · '}
            <Link to={`/releases/${encodeURIComponent(r.slug)}/dev`}>dev items</Link>
            {' · '}
            <a href={`/releases/${encodeURIComponent(r.slug)}/download`} download>download dev split</a>
          </li>
        ))}
      </ul>
      <h2>Recent runs</h2>
      <table>
        <thead>
          <tr><th>Run</th><th>Model</th><th>Team</th><th>Split</th><th>Status</th><th>Progress</th></tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.id}>
              <td><Link to={`/runs/${r.id}`}>#{r.id}</Link></td>
              <td>{r.modelName}</td>
              <td>{r.teamName}</td>
              <td>{r.split}</td>
              <td className={`status-${r.status}`}>{r.status}</td>
              <td className="num">{r.doneItems}/{r.totalItems}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
