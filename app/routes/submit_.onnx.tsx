import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data, redirect } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { listVisibleReleases, releaseSlug } from '../../db/queries/releases';
import type { BundleProblem } from '../../evaluator/onnx/bundle-report';
import { UploadError } from '../utils/chunked-uploads.server';
import { discardReceivedFile, receiveMultipartFile } from '../utils/multipart-upload.server';
import { acceptOnnxArchive } from '../utils/onnx-intake.server';
import { checkSubmissionTarget } from '../utils/submission-service.server';
import { ReleaseSplitFields } from '../components/release-split-fields';
import { NoTeamYet, SubmitterFields } from '../components/submitter-fields';
import { requireSubmittingUser, submitterFor } from '../teams/submitter.server';

export const meta: MetaFunction = () => [{ title: 'Submit an ONNX model · SpineBench Hub' }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const { db, config } = context.services;
  const { teams } = await requireSubmittingUser(request, context.services);
  const releases = await listVisibleReleases(db);
  return {
    teams: teams.map((t) => ({ id: t.id, name: t.name })),
    releases: releases.filter((r) => r.status === 'published').map((r) => releaseSlug(r)),
    maxUploadBytes: config.onnxUploadMaxBytes,
    memoryLimitMb: config.onnxMemoryLimitMb,
    itemTimeoutMs: config.onnxItemTimeoutMs,
    dailyTestRuns: config.dailyTestRuns,
  };
}

interface ActionAnswer {
  message: string;
  fieldErrors?: Record<string, string>;
  problems?: BundleProblem[];
}

/** The archive streams to DATA_DIR/uploads; fields are checked, then the bundle, and only then is a run queued. */
export async function action({ request, context }: ActionFunctionArgs) {
  const services = context.services;
  const { config } = services;
  // The account is known from the cookie before a byte of the archive is read; the team after the fields.
  const { user } = await requireSubmittingUser(request, services);
  let received;
  try {
    received = await receiveMultipartFile(request, { dir: config.uploadsDir, maxBytes: config.onnxUploadMaxBytes, fileField: 'archive' });
  } catch (e) {
    if (e instanceof UploadError) return data<ActionAnswer>({ message: e.message, fieldErrors: { archive: e.message } }, { status: e.status });
    throw e;
  }
  let actor;
  try {
    actor = await submitterFor(services, user, received.fields.teamId);
  } catch (refusal) {
    if (received.file) await discardReceivedFile(received.file);
    throw refusal;
  }
  const target = await checkSubmissionTarget(services, actor, received.fields);
  if (!received.file || !target.ok) {
    const refusal = target.ok ? undefined : target;
    if (received.file) await discardReceivedFile(received.file);
    const fieldErrors = { ...refusal?.fieldErrors, ...(received.file ? {} : { archive: 'Choose the bundle archive (.tar, .tar.gz or .zip).' }) };
    return data<ActionAnswer>({ message: refusal?.message ?? 'The archive is missing.', fieldErrors }, { status: refusal?.status ?? 400 });
  }
  const outcome = await acceptOnnxArchive(services, received.file.path, target);
  if (!outcome.ok) return data<ActionAnswer>({ message: outcome.message, fieldErrors: outcome.fieldErrors, problems: outcome.problems }, { status: outcome.status });
  return redirect(`/runs/${outcome.runId}`);
}

const gib = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(bytes < 1024 ** 3 ? 2 : 0)} GiB`;

export default function SubmitOnnx() {
  const { teams, releases, maxUploadBytes, memoryLimitMb, itemTimeoutMs, dailyTestRuns } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>() as ActionAnswer | undefined;
  const err = (field: string) => (answer?.fieldErrors?.[field] ? <span className="field-error">{answer.fieldErrors[field]}</span> : null);
  return (
    <>
      <h1>Submit an ONNX model</h1>
      <p className="note">
        Upload your model as a transformers.js bundle (see docs/onnx-submissions.md) packed as .tar, .tar.gz or .zip, up to{' '}
        {gib(maxUploadBytes)}. The platform checks the bundle before anything is queued, then runs it itself in a sandboxed
        child process ({memoryLimitMb} MB of memory, {itemTimeoutMs / 1000} s per item), so its results are marked
        "run by the platform". For multi-GB models use the resumable upload API. Each team has {dailyTestRuns} hidden-split
        runs per day; the dev split is free.
      </p>
      {answer ? (
        <div className="error-box" data-testid="onnx-refusal">
          <strong>{answer.message}</strong>
          {answer.problems?.length ? (
            <ul>
              {answer.problems.map((p, i) => (
                <li key={i}>
                  <code>{p.file}</code>
                  {p.field ? ` (${p.field})` : ''}: {p.message}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {teams.length === 0 ? <NoTeamYet /> : (
      <Form method="post" encType="multipart/form-data" className="stack">
        <SubmitterFields teams={teams} error={err} />
        <ReleaseSplitFields releases={releases} defaultSplit="dev" error={err} />
        <label>Bundle archive<input name="archive" type="file" accept=".tar,.gz,.tgz,.zip" required />{err('archive')}</label>
        <button type="submit">Upload and submit</button>
      </Form>
      )}
    </>
  );
}
