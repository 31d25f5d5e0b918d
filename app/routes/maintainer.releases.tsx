import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { ReleaseValidationError, type ReleaseProblem } from '../../benchmark/release/validation-error';
import { releaseSlug } from '../../db/queries/releases';
import { importReleaseFromPath } from '../../db/release-import';
import { changeReleaseStatusAudited } from '../../db/audited-release-lifecycle';
import { recordAudit } from '../../db/queries/audit';
import { ReleaseLifecycleError, countReleaseItems, listReleases } from '../../db/queries/releases';
import { ConsoleNav } from '../components/console-nav';
import { maintainerActor, requireMaintainer } from '../utils/maintainer-auth.server';
import { UploadRefusedError, receiveReleaseArchive } from '../utils/release-upload.server';
import { RescoreConflictError, createRescoreJob, listRescoreJobs } from '../../db/queries/rescore-jobs';
import { SCORER_VERSION } from '../../evaluator/scoring';
import { RescoreJobs, type RescoreJobView } from '../components/rescore-jobs';

export const meta: MetaFunction = () => [{ title: 'Releases · Maintainer · SpineBench Hub' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireMaintainer(request, context.services);
  const { db, config } = context.services;
  const rows = await listReleases(db);
  const releases = await Promise.all(
    rows.map(async (r) => ({
      id: r.id,
      slug: releaseSlug(r),
      name: r.name,
      version: r.version,
      status: r.status,
      synthetic: r.manifest.synthetic === true,
      contentHash: r.contentHash,
      createdAt: r.createdAt.toISOString(),
      counts: await countReleaseItems(db, r.id),
    })),
  );
  const rescores: RescoreJobView[] = (await listRescoreJobs(db, 10)).map((j) => ({
    ...j,
    slug: releaseSlug({ name: j.releaseName, version: j.releaseVersion }),
    createdAt: j.createdAt.toISOString(),
    finishedAt: j.finishedAt?.toISOString() ?? null,
  }));
  return { releases, rescores, uploadLimitMiB: Math.floor(config.releaseUploadMaxBytes / 1024 ** 2) };
}

type ActionResult =
  | { ok: true; message: string }
  | { ok: false; message: string; problems?: ReleaseProblem[] };

export async function action({ request, context }: ActionFunctionArgs) {
  await requireMaintainer(request, context.services, 'forbid');
  const contentType = request.headers.get('content-type') ?? '';
  try {
    const actor = await maintainerActor(request, context.services);
    if (contentType.startsWith('multipart/form-data')) return await importUploadedRelease(request, context.services, actor);
    return await changeLifecycle(await request.formData(), context.services, actor);
  } catch (error) {
    if (error instanceof ReleaseValidationError) {
      const problems = error.problems.slice(0, 200);
      const message = `The release was not imported: ${error.problems.length} problem${error.problems.length === 1 ? '' : 's'} found. Nothing was written.`;
      return data<ActionResult>({ ok: false, message, problems }, { status: 422 });
    }
    if (error instanceof RescoreConflictError) return data<ActionResult>({ ok: false, message: error.message }, { status: 409 });
    if (error instanceof ReleaseLifecycleError) return data<ActionResult>({ ok: false, message: error.message }, { status: 409 });
    if (error instanceof UploadRefusedError) return data<ActionResult>({ ok: false, message: error.message }, { status: error.status });
    throw error;
  }
}

async function importUploadedRelease(request: Request, services: LoaderFunctionArgs['context']['services'], actor: string) {
  const { db, config } = services;
  const { archive } = await receiveReleaseArchive(request, { workDir: config.releaseWorkDir, maxBytes: config.releaseUploadMaxBytes });
  try {
    const result = await importReleaseFromPath(db, archive.archivePath, { imageStoreDir: config.imageStoreDir, tempDir: config.releaseWorkDir });
    const what = `${result.name} ${result.version}`;
    if (result.created) {
      await recordAudit(db, {
        actor,
        action: 'release.import',
        subject: `release:${result.name}@${result.version}`,
        details: { file: archive.fileName, contentHash: result.contentHash, counts: result.counts },
      });
    }
    const message = result.created
      ? `Imported ${what} from ${archive.fileName} as a draft: ${result.counts.dev} dev + ${result.counts.test} test items (${result.contentHash}).`
      : `${archive.fileName} holds ${what} (${result.contentHash}), which is already on the platform; nothing was written.`;
    return data<ActionResult>({ ok: true, message });
  } finally {
    await archive.dispose();
  }
}

async function changeLifecycle(form: FormData, services: LoaderFunctionArgs['context']['services'], actor: string) {
  const intent = String(form.get('intent') ?? '');
  const releaseId = Number(form.get('releaseId'));
  if (!Number.isInteger(releaseId) || releaseId <= 0) return data<ActionResult>({ ok: false, message: 'Which release? (releaseId is missing)' }, { status: 400 });
  if (intent === 'rescore') return startRescore(releaseId, form, services, actor);
  if (intent !== 'publish' && intent !== 'deprecate') return data<ActionResult>({ ok: false, message: `Unknown action "${intent}".` }, { status: 400 });
  const reason = String(form.get('reason') ?? '').trim() || null;
  const row = await changeReleaseStatusAudited(services.db, { releaseId, intent, actor, reason });
  return data<ActionResult>({ ok: true, message: `${row.name} ${row.version} is now ${row.status}.` });
}

/** Queues a re-score of every finished run of the release from stored outputs (no model is called). */
async function startRescore(releaseId: number, form: FormData, services: LoaderFunctionArgs['context']['services'], actor: string) {
  const reason = String(form.get('reason') ?? '').trim() || null;
  const job = await createRescoreJob(services.db, { releaseId, actor, reason, scorerVersion: SCORER_VERSION });
  await services.queue.enqueueReleaseRescore(job.id);
  return data<ActionResult>({ ok: true, message: `Re-score #${job.id} queued: ${job.runIds.length} runs. Its changelog is published when it finishes.` });
}

export default function MaintainerReleases() {
  const { releases, rescores, uploadLimitMiB } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const busy = useNavigation().state === 'submitting';
  return (
    <>
      <h1>Releases <span className="badge">maintainer</span></h1>
      <ConsoleNav />
      {result ? <ActionMessage result={result} /> : null}

      <div className="table-scroll" role="region" aria-label="Releases" tabIndex={0}>
      <table data-testid="maintainer-releases">
        <thead>
          <tr><th>Release</th><th>Status</th><th className="num">Dev</th><th className="num">Test</th><th>Content hash</th><th>Imported</th><th>Actions</th></tr>
        </thead>
        <tbody>
          {releases.map((r) => (
            <tr key={r.id} data-release={r.slug} data-release-id={r.id}>
              <td>
                {r.status === 'draft' ? `${r.name} ${r.version}` : <Link to={`/releases/${encodeURIComponent(r.slug)}`}>{r.name} {r.version}</Link>}
                {r.synthetic ? <span className="badge synthetic">synthetic</span> : null}
              </td>
              <td className={`status-${r.status}`} data-testid="status">{r.status}</td>
              <td className="num">{r.counts.dev}</td>
              <td className="num">{r.counts.test}</td>
              <td><code title={r.contentHash}>{r.contentHash.slice(0, 19)}…</code></td>
              <td>{r.createdAt.slice(0, 10)}</td>
              <td className="actions">
                {r.status === 'draft' ? <LifecycleButton releaseId={r.id} intent="publish" label="Publish" /> : null}
                {r.status !== 'deprecated' ? <LifecycleButton releaseId={r.id} intent="deprecate" label="Deprecate" /> : null}
                {r.status !== 'draft' ? <RescoreButton releaseId={r.id} label={`${r.name} ${r.version}`} /> : null}
                <a href={`/maintainer/releases/${encodeURIComponent(r.slug)}/export`} download>Full export</a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      </div>
      {releases.length === 0 ? <p>No releases yet.</p> : null}

      <h2>Re-scores</h2>
      <RescoreJobs jobs={rescores} />

      <h2>Import a release</h2>
      <p className="note">
        A .tar.gz, .tgz, .tar or .zip archive in the release format (docs/release-format.md), at most {uploadLimitMiB} MiB.
        Everything is validated before anything is written; a valid release is imported as a draft, to be published here.
        Large releases import faster from the server's shell: <code>npm run release:import -- &lt;folder|archive&gt;</code>.
      </p>
      <Form method="post" encType="multipart/form-data" className="stack">
        <label>
          Release archive
          <input type="file" name="archive" accept=".tar.gz,.tgz,.tar,.zip" required />
        </label>
        <button type="submit" disabled={busy}>{busy ? 'Importing…' : 'Validate and import'}</button>
      </Form>
    </>
  );
}

function LifecycleButton({ releaseId, intent, label }: { releaseId: number; intent: 'publish' | 'deprecate'; label: string }) {
  const warning =
    intent === 'publish'
      ? 'Publish this release? A published release is immutable.'
      : 'Deprecate this release? It takes no new runs afterwards and cannot be published again.';
  return (
    <Form method="post" className="inline-form" onSubmit={(event) => { if (!confirm(warning)) event.preventDefault(); }}>
      <input type="hidden" name="releaseId" value={releaseId} />
      <button type="submit" name="intent" value={intent}>{label}</button>
    </Form>
  );
}

function RescoreButton({ releaseId, label }: { releaseId: number; label: string }) {
  return (
    <details className="inline-details">
      <summary>Re-score</summary>
      <Form method="post" className="stack">
        <input type="hidden" name="releaseId" value={releaseId} />
        <label>
          Why re-score {label}? (shown in the audit log and the public changelog)
          <input type="text" name="reason" maxLength={500} />
        </label>
        <button type="submit" name="intent" value="rescore">Queue re-score</button>
      </Form>
    </details>
  );
}

function ActionMessage({ result }: { result: ActionResult }) {
  if (result.ok) return <p className="success-box" data-testid="action-message">{result.message}</p>;
  return (
    <div className="error-box" data-testid="action-error">
      <p>{result.message}</p>
      {result.problems && result.problems.length > 0 ? (
        <div className="table-scroll" role="region" aria-label="Problems found" tabIndex={0}>
        <table className="problems" data-testid="import-problems">
          <thead><tr><th>File</th><th>Line</th><th>Field</th><th>Problem</th></tr></thead>
          <tbody>
            {result.problems.map((p, i) => (
              <tr key={i}>
                <td><code>{p.file}</code></td>
                <td className="num">{p.line ?? ''}</td>
                <td>{p.field ? <code>{p.field}</code> : ''}</td>
                <td>{p.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      ) : null}
    </div>
  );
}
