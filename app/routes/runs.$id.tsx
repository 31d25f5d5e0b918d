import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import type { Item } from '../../benchmark/item-schema';
import { teamTestRunQuota } from '../../db/queries/quota';
import { listDevItemLog } from '../../db/queries/runs';
import { JudgeIdentity } from '../components/judge-identity';
import { RunProgress } from '../components/run-progress';
import { RuntimeInfoNote } from '../components/runtime-info';
import { RunBreakdown } from '../components/run-breakdown';
import { devLogRow, LOG_PAGE_SIZE } from '../utils/dev-item-log';
import { loadRunView } from '../utils/run-view.server';
import { runEndpointVerified } from '../teams/endpoint-verification.server';

export const meta: MetaFunction = ({ params }) => [{ title: `Run #${params.id} · SpineBench Hub` }];

export async function loader({ context, params, request }: LoaderFunctionArgs) {
  const { db, config } = context.services;
  const run = await loadRunView(db, params.id);
  // Per-item logs exist for the public dev split only; hidden-split runs show aggregates and typed errors.
  const page = Math.max(0, Math.min(1_000, Number(new URL(request.url).searchParams.get('log') ?? 0) || 0));
  const log = run.split === 'dev' ? await listDevItemLog(db, run.id, { offset: page * LOG_PAGE_SIZE, limit: LOG_PAGE_SIZE }) : null;
  const itemLog = log ? { page, pages: Math.max(1, Math.ceil(log.total / LOG_PAGE_SIZE)), total: log.total, rows: log.rows.map((r) => devLogRow(r.itemKey, r.payload, r.rawOutput, r.detail)) } : null;
  const quota = run.split === 'test' ? await teamTestRunQuota(db, run.teamId, config.dailyTestRuns) : null;
  const endpointVerified = await runEndpointVerified(context.services, run.id);
  return { run, itemLog, quota, endpointVerified };
}

export default function RunPage() {
  const { run, itemLog, quota, endpointVerified } = useLoaderData<typeof loader>();
  const live = run.status === 'queued' || run.status === 'running';
  return (
    <>
      <h1>Run #{run.id}</h1>
      <p>
        <Link to={`/models/${run.modelId}`}>{run.modelName}</Link> by {run.teamName} on {run.releaseName} {run.releaseVersion},{' '}
        {run.split === 'test' ? 'hidden test split' : 'public dev split (sanity check)'}
        {endpointVerified ? (
          <span className="badge confirmed" data-testid="endpoint-verified" title="The team proved control of this endpoint's host (/.well-known/spinebench-verification)">host verified</span>
        ) : null}
      </p>
      <p>
        Status: <strong className={`status-${run.status}`} data-testid="run-status">{run.status}</strong>
      </p>
      <RunProgress runId={run.id} done={run.doneItems} total={run.totalItems} live={live} />
      <RuntimeInfoNote info={run.runtimeInfo} />
      {run.status === 'failed' ? (
        <div className="error-box" data-testid="run-error">
          <strong>{run.errorCode}</strong>: {run.errorMessage}
        </div>
      ) : null}
      {run.score !== null ? <p>Score: <strong data-testid="run-score">{run.score.toFixed(1)}</strong></p> : null}
      {run.withheldByLadder ? (
        <p className="note" data-testid="ladder-withheld">
          This run did not beat its team&apos;s best hidden-split run on this release by a significant margin, so its scores
          are withheld and the board keeps the team&apos;s best (the Ladder of Blum and Hardt, 2015). This keeps repeated runs
          from revealing the hidden answers one by one.
        </p>
      ) : null}
      {run.reportScoring ? <JudgeIdentity value={run.reportScoring} /> : null}
      {run.judgeFailures > 0 ? (
        <p className="note" data-testid="judge-failures">
          {run.judgeFailures} {run.judgeFailures === 1 ? 'report' : 'reports'} could not be judged after retries; left out of
          this run&apos;s report score, interval and rank, and asked again at the next re-score.
        </p>
      ) : null}
      {quota ? (
        <p className="note" data-testid="quota">
          {`${run.teamName} has ${quota.remaining} of ${quota.limit} hidden-split runs left today (resets ${quota.resetsAt.slice(11, 16)} UTC).`}
        </p>
      ) : null}
      {run.breakdown ? (
        <>
          <p className="note">
            {run.split === 'test' ? 'Hidden test split: aggregates only, never per-item results.' : 'Public dev split: the breakdown and the per-item log below.'}{' '}
            Scorer {run.scorerVersion}. Scores 0–100 with 95% bootstrap intervals.
          </p>
          <RunBreakdown name={run.modelName} breakdown={run.breakdown} views={run.views} />
        </>
      ) : null}
      {itemLog ? (
        <>
          <h2>Per-item log (dev split)</h2>
          <p className="note" data-testid="log-pages">
            {`Items ${itemLog.page * LOG_PAGE_SIZE + 1}–${Math.min(itemLog.total, (itemLog.page + 1) * LOG_PAGE_SIZE)} of ${itemLog.total}`}
            {itemLog.page > 0 ? <> · <Link to={`?log=${itemLog.page - 1}`}>previous items</Link></> : null}
            {itemLog.page + 1 < itemLog.pages ? <> · <Link to={`?log=${itemLog.page + 1}`}>next items</Link></> : null}
            . Long answers are shown in part.
          </p>
          <div className="table-scroll" role="region" aria-label="Per-item log" tabIndex={0}>
            <table data-testid="dev-item-log">
              <thead>
                <tr><th scope="col">Item</th><th scope="col">Question or case</th><th scope="col">Answer</th><th scope="col">Model output</th><th scope="col">Read as</th><th scope="col">Score</th></tr>
              </thead>
              <tbody>
                {itemLog.rows.map((r) => (
                  <tr key={r.id} data-kind={r.kind}>
                    <td>{r.id}</td>
                    <td>{r.question}</td>
                    <td>{r.kind === 'mcq' ? r.answer : 'report'}</td>
                    <td><code className="raw-output">{r.rawOutput}</code></td>
                    {r.kind === 'mcq' ? (
                      <td data-testid="read-as">
                        {r.readAs}
                        {r.reason ? <span className="note"> ({r.reason})</span> : null}
                        {r.levels ? <div className="note">level: {r.levels}</div> : null}
                      </td>
                    ) : (
                      <td data-testid="report-check-cell">{r.check}</td>
                    )}
                    <td>{r.kind === 'mcq' ? (r.correct ? 'correct' : 'wrong') : r.score === null ? `— (${r.method})` : `${r.score.toFixed(1)} (${r.method})`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </>
  );
}
