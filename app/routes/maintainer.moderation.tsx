import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { MODERATION_ACTIONS, ModerationError, listModeratableRuns, moderateRun } from '../../db/queries/moderation';
import { listReleases } from '../../db/queries/releases';
import { ConsoleNav } from '../components/console-nav';
import { maintainerActor, requireMaintainer } from '../utils/maintainer-auth.server';

export const meta: MetaFunction = () => [{ title: 'Moderation · Maintainer · SpineBench Hub' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireMaintainer(request, context.services);
  const { db } = context.services;
  const releaseParam = Number(new URL(request.url).searchParams.get('release'));
  const releaseId = Number.isInteger(releaseParam) && releaseParam > 0 ? releaseParam : undefined;
  const [runs, releases] = await Promise.all([listModeratableRuns(db, { releaseId }), listReleases(db)]);
  return {
    releaseId: releaseId ?? null,
    releases: releases.filter((r) => r.status !== 'draft').map((r) => ({ id: r.id, label: `${r.name} ${r.version}` })),
    runs: runs.map((r) => ({ ...r, finishedAt: r.finishedAt?.toISOString() ?? null })),
  };
}

type ActionResult = { ok: true; message: string; runId: number } | { ok: false; message: string; field: string; runId: number | null };

export async function action({ request, context }: ActionFunctionArgs) {
  await requireMaintainer(request, context.services, 'forbid');
  const form = await request.formData();
  const runId = Number(form.get('runId'));
  const actionName = String(form.get('action') ?? '');
  try {
    const board = await moderateRun(context.services.db, {
      runId,
      action: actionName,
      reason: String(form.get('reason') ?? ''),
      actor: await maintainerActor(request, context.services),
    });
    // Which runs count on the board may have changed: its ranks are recomputed.
    await context.services.queue.enqueueRerank(board.releaseId, board.split);
    return data<ActionResult>({ ok: true, runId, message: `Run #${runId}: ${actionName} recorded in the audit log.` });
  } catch (e) {
    if (e instanceof ModerationError) {
      return data<ActionResult>({ ok: false, runId: Number.isInteger(runId) ? runId : null, field: e.field, message: e.message }, { status: 400 });
    }
    throw e;
  }
}

const ACTION_LABELS: Record<(typeof MODERATION_ACTIONS)[number], string> = {
  verify: 'Verify (badge)',
  unverify: 'Remove verification',
  flag: 'Flag with a public reason',
  hide: 'Hide from the board',
  restore: 'Restore (clear flag and hide)',
};

export default function Moderation() {
  const { runs, releases, releaseId } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const busy = useNavigation().state === 'submitting';
  return (
    <>
      <h1>Moderation</h1>
      <ConsoleNav />
      <p className="note">
        Verify a scored run (a "verified" badge on the board), flag it with a reason the public sees, hide it from the board,
        or restore it. Nothing is deleted: hidden runs keep their scores, the board says how many are hidden, and every action
        goes into the audit log with its reason.
      </p>
      <Form method="get" className="filters">
        <label>
          Release
          <select name="release" defaultValue={releaseId ?? ''}>
            <option value="">All releases</option>
            {releases.map((r) => <option key={r.id} value={r.id}>{r.label}</option>)}
          </select>
        </label>
        <button type="submit">Show</button>
      </Form>
      {result?.ok ? <p className="success-box" role="status" data-testid="action-message">{result.message}</p> : null}
      {result && !result.ok && result.runId === null ? <p className="error-box" role="alert">{result.message}</p> : null}
      <div className="table-scroll">
        <table data-testid="moderation-runs">
          <thead>
            <tr><th>Run</th><th>Model</th><th>Release</th><th className="num">Score</th><th>State</th><th>Action</th></tr>
          </thead>
          <tbody>
            {runs.map((r) => {
              const error = result && !result.ok && result.runId === r.runId ? result : null;
              const errorId = `moderation-error-${r.runId}`;
              return (
                <tr key={r.runId} data-run-id={r.runId}>
                  <td><a href={`/runs/${r.runId}`}>#{r.runId}</a> {r.split === 'dev' ? '(dev)' : ''}</td>
                  <td>{r.modelName} <span className="note">{r.teamName}</span></td>
                  <td>{r.releaseName} {r.releaseVersion}</td>
                  <td className="num">{r.score.toFixed(1)}</td>
                  <td data-testid="moderation-state">
                    {r.verified ? <span className="badge verified">verified</span> : null}
                    {r.flagReason ? <span className="badge flagged">flagged: {r.flagReason}</span> : null}
                    {r.hidden ? <span className="badge">hidden: {r.hiddenReason}</span> : null}
                    {!r.verified && !r.flagReason && !r.hidden ? 'shown' : null}
                  </td>
                  <td>
                    <Form method="post" className="filters">
                      <input type="hidden" name="runId" value={r.runId} />
                      <label>
                        <span className="visually-hidden">Action for run #{r.runId}</span>
                        <select name="action" aria-label={`Action for run #${r.runId}`} defaultValue="verify">
                          {MODERATION_ACTIONS.map((a) => <option key={a} value={a}>{ACTION_LABELS[a]}</option>)}
                        </select>
                      </label>
                      <label>
                        <span className="visually-hidden">Reason for run #{r.runId}</span>
                        <input
                          name="reason"
                          placeholder="Reason (required to flag, hide, restore)"
                          aria-label={`Reason for run #${r.runId}`}
                          aria-invalid={error?.field === 'reason' ? true : undefined}
                          aria-describedby={error ? errorId : undefined}
                          maxLength={500}
                        />
                      </label>
                      <button type="submit" disabled={busy}>Apply</button>
                      {error ? <span id={errorId} className="field-error" role="alert">{error.field === 'reason' ? 'Reason: ' : ''}{error.message}</span> : null}
                    </Form>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {runs.length === 0 ? <p>No scored runs yet.</p> : null}
    </>
  );
}
