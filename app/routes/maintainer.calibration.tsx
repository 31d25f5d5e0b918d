import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { listCalibrations } from '../../db/queries/judge-calibrations';
import { listReleases, releaseSlug } from '../../db/queries/releases';
import type { RatingsProblem } from '../../evaluator/calibration/ratings-file';
import { MAX_RATED_REPORTS } from '../../evaluator/calibration/ratings-file';
import { JudgeModelMismatchError, judgeIdentity } from '../../evaluator/judge';
import { ConsoleNav } from '../components/console-nav';
import { calibrateJudge, CalibrationInputError, CalibrationJudgeError } from '../utils/judge-calibration.server';
import { maintainerActor, requireMaintainer } from '../utils/maintainer-auth.server';
import { refusal } from '../utils/refusal';

/**
 * Judge calibration (docs/judge-calibration.md): a maintainer uploads clinician ratings; the configured judge rates
 * the same reports and the per-dimension agreement is stored and shown on the reports board. Aggregates only here
 * too: the pairs name items that may belong to the hidden split.
 */

export const meta: MetaFunction = () => [{ title: 'Judge calibration · Maintainer · SpineBench Hub' }];

const MAX_UPLOAD_BYTES = 8 * 1024 ** 2;

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireMaintainer(request, context.services);
  const { db, config } = context.services;
  const judge = config.judge ? judgeIdentity(config.judge) : null;
  const releases = (await listReleases(db)).map((r) => ({ id: r.id, slug: releaseSlug(r), label: `${r.name} ${r.version} (${r.status})` }));
  const calibrations = (await listCalibrations(db)).map((c) => ({
    id: c.id,
    release: `${c.releaseName} ${c.releaseVersion}`,
    slug: releaseSlug({ name: c.releaseName, version: c.releaseVersion }),
    judge: `${c.judgeModel} (${c.judgeModelVersion})`,
    current: judge?.configVersion === c.judgeConfigVersion,
    synthetic: c.synthetic,
    rated: c.agreement.rated,
    judged: c.agreement.judged,
    createdAt: c.createdAt.toISOString(),
  }));
  return { judge, releases, calibrations };
}

type ActionResult = { ok: true; message: string } | { ok: false; message: string; problems?: RatingsProblem[] };

export async function action({ request, context }: ActionFunctionArgs) {
  await requireMaintainer(request, context.services, 'forbid');
  const actor = await maintainerActor(request, context.services);
  const judge = context.services.config.judge;
  if (!judge) return data<ActionResult>({ ok: false, message: 'No judge is configured (JUDGE_URL, JUDGE_MODEL, JUDGE_MODEL_VERSION): there is nothing to calibrate.' }, { status: 409 });
  if (Number(request.headers.get('content-length') ?? 0) > MAX_UPLOAD_BYTES) throw refusal(413, `The ratings file is larger than ${MAX_UPLOAD_BYTES / 1024 ** 2} MiB.`);
  const form = await request.formData();
  const releaseId = Number(form.get('releaseId'));
  if (!Number.isInteger(releaseId) || releaseId <= 0) return data<ActionResult>({ ok: false, message: 'Which release? (releaseId is missing)' }, { status: 400 });
  const file = form.get('ratings');
  if (!file || typeof file === 'string' || file.size === 0) return data<ActionResult>({ ok: false, message: 'Choose a JSONL file of clinician ratings.' }, { status: 400 });
  try {
    const { agreement } = await calibrateJudge(context.services.db, { releaseId, judge, text: await file.text(), fileName: file.name || null, synthetic: false, actor });
    const message = `Stored: the judge rated ${agreement.judged} of ${agreement.rated} reports; the agreement is on the release's reports board.`;
    return data<ActionResult>({ ok: true, message });
  } catch (error) {
    if (error instanceof CalibrationInputError) return data<ActionResult>({ ok: false, message: error.message, problems: error.problems.slice(0, 200) }, { status: 422 });
    if (error instanceof CalibrationJudgeError) return data<ActionResult>({ ok: false, message: error.message }, { status: 502 });
    if (error instanceof JudgeModelMismatchError) return data<ActionResult>({ ok: false, message: `${error.message}. Nothing was written.` }, { status: 502 });
    throw error;
  }
}

export default function MaintainerCalibration() {
  const { judge, releases, calibrations } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const busy = useNavigation().state === 'submitting';
  return (
    <>
      <h1>Judge calibration <span className="badge">maintainer</span></h1>
      <ConsoleNav />
      {result ? <ActionMessage result={result} /> : null}
      <p data-testid="calibration-judge">
        {judge ? (
          <>Configured judge: <strong>{judge.model}</strong>, version <code>{judge.modelVersion}</code>, judge prompt <code>{judge.promptVersion}</code>.</>
        ) : (
          <>No judge is configured (JUDGE_URL, JUDGE_MODEL, JUDGE_MODEL_VERSION): reports are scored by the deterministic check, and there is nothing to calibrate.</>
        )}
      </p>

      <h2>Upload clinician ratings</h2>
      <p className="note">
        JSONL, one rated report a line: <code>{'{"item_id": "…", "report": "…", "ratings": {"imaging_report": 4, …}, "rater": "…"}'}</code> with
        all ten rubric dimensions rated 1–5 (docs/judge-calibration.md), at most {MAX_RATED_REPORTS} lines. The judge rates every report
        (this takes a while); Spearman ρ and quadratic-weighted κ per dimension are stored and shown on the release&rsquo;s reports board.
        Any problem in the file is listed by line and field, and nothing is written.
      </p>
      {judge ? (
        <Form method="post" encType="multipart/form-data" className="stack">
          <label>
            Release
            <select name="releaseId" required>
              {releases.map((r) => <option key={r.id} value={r.id}>{r.label}</option>)}
            </select>
          </label>
          <label>
            Ratings file (.jsonl)
            <input type="file" name="ratings" accept=".jsonl,.json,.txt,application/jsonl" required />
          </label>
          <button type="submit" disabled={busy}>{busy ? 'Asking the judge…' : 'Rate with the judge and compare'}</button>
        </Form>
      ) : null}

      <h2>Calibrations</h2>
      {calibrations.length === 0 ? <p>None yet.</p> : (
        <div className="table-scroll" role="region" aria-label="Calibrations" tabIndex={0}>
          <table data-testid="calibrations">
            <thead><tr><th scope="col">Release</th><th scope="col">Judge</th><th scope="col" className="num">Judged / rated</th><th scope="col">Stored</th></tr></thead>
            <tbody>
              {calibrations.map((c) => (
                <tr key={c.id} data-testid="calibration-row">
                  <td><Link to={`/leaderboard/${encodeURIComponent(c.slug)}/reports`}>{c.release}</Link>{c.synthetic ? <span className="badge synthetic">synthetic</span> : null}</td>
                  <td>{c.judge}{c.current ? null : <span className="badge stale">not the configured judge</span>}</td>
                  <td className="num">{c.judged} / {c.rated}</td>
                  <td>{c.createdAt.replace('T', ' ').slice(0, 16)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function ActionMessage({ result }: { result: ActionResult }) {
  if (result.ok) return <p className="success-box" role="status" data-testid="action-message">{result.message}</p>;
  return (
    <div className="error-box" role="alert" data-testid="action-error">
      <p>{result.message}</p>
      {result.problems && result.problems.length > 0 ? (
        <div className="table-scroll" role="region" aria-label="Problems found" tabIndex={0}>
          <table className="problems" data-testid="calibration-problems">
            <thead><tr><th scope="col">Line</th><th scope="col">Field</th><th scope="col">Problem</th></tr></thead>
            <tbody>
              {result.problems.map((p, i) => (
                <tr key={i}><td className="num">{p.line}</td><td>{p.field ? <code>{p.field}</code> : ''}</td><td>{p.message}</td></tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
