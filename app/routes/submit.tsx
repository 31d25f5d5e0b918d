import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data, redirect } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { findReleaseBySlug, listVisibleReleases, releaseSlug } from '../../db/queries/releases';
import { getTestRunQuota } from '../../db/queries/quota';
import { endpointTokenContext } from '../../evaluator/adapters/endpoint-token';
import { checkEndpointUrl } from '../../evaluator/net/ssrf-guard';
import { encryptSecret } from '../../evaluator/secrets';

import { createEndpointSubmission } from '../../db/queries/submissions';
import { SCORER_VERSION } from '../../evaluator/scoring';
import { parseSubmissionForm } from '../utils/submission-form';
import { submissionLimitRefusal } from '../utils/submission-limits.server';
import { ReleaseSplitFields } from '../components/release-split-fields';

export const meta: MetaFunction = () => [{ title: 'Submit a model · SpineBench Hub' }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const { db, config } = context.services;
  const releases = await listVisibleReleases(db);
  const team = new URL(request.url).searchParams.get('team');
  return {
    releases: releases.filter((r) => r.status === 'published').map((r) => releaseSlug(r)),
    dailyTestRuns: config.dailyTestRuns,
    quota: team ? { team, ...(await getTestRunQuota(db, team, config.dailyTestRuns)) } : null,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { db, queue, config, secretKey } = context.services;
  const parsed = parseSubmissionForm(await request.formData());
  if (!parsed.ok) return data({ fieldErrors: parsed.fieldErrors }, { status: 400 });
  const guard = await checkEndpointUrl(parsed.value.endpointUrl, { allowList: config.endpointAllowList });
  if (!guard.ok) return data({ fieldErrors: { endpointUrl: `Endpoint URL refused: ${guard.reason}` } }, { status: 400 });
  const release = await findReleaseBySlug(db, parsed.value.release);
  if (!release || release.status !== 'published') {
    return data({ fieldErrors: { release: 'This release does not accept submissions.' } }, { status: 400 });
  }
  const quotaRefusal = await submissionLimitRefusal(db, parsed.value.teamName, parsed.value.split, config);
  if (quotaRefusal) return data({ fieldErrors: { split: quotaRefusal } }, { status: 429 });
  const { endpointToken, ...fields } = parsed.value;
  const { run } = await createEndpointSubmission(db, {
    ...fields,
    encryptToken: endpointToken
      ? (teamId) => encryptSecret(endpointToken, secretKey, endpointTokenContext(teamId, fields.modelName))
      : undefined,
    releaseId: release.id,
    scorerVersion: SCORER_VERSION,
    adapterSettings: { kind: 'endpoint', timeoutMs: config.endpointTimeoutMs, attempts: config.endpointAttempts, temperature: 0 },
  });
  await queue.enqueueRun(run.id);
  return redirect(`/runs/${run.id}`);
}

export default function Submit() {
  const { releases, quota, dailyTestRuns } = useLoaderData<typeof loader>();
  const errors = useActionData<typeof action>()?.fieldErrors as Record<string, string> | undefined;
  const err = (field: string) => (errors?.[field] ? <span className="field-error">{errors[field]}</span> : null);
  return (
    <>
      <h1>Submit a model</h1>
      <p className="note">
        Register an OpenAI-compatible Chat Completions endpoint (vLLM, SGLang, TGI, Ollama, ...). The platform sends
        each question with its images as data URLs at temperature 0. Each team has {dailyTestRuns} hidden-split runs
        per day; dev-split sanity runs are free and show per-item logs. Runs that fail before the model answers
        anything, or through the platform's fault, are not counted.
      </p>
      <p className="note">Or let the platform run your model itself: <a href="/submit/onnx">submit an ONNX bundle</a>.</p>
      {quota ? (
        <p data-testid="quota">
          {`${quota.team}: ${quota.remaining} of ${quota.limit} hidden-split runs left today.`}
        </p>
      ) : null}
      <Form method="post" className="stack">
        <label>Team name<input name="teamName" defaultValue={quota?.team} required />{err('teamName')}</label>
        <label>Model name<input name="modelName" required />{err('modelName')}</label>
        <label>Endpoint base URL<input name="endpointUrl" placeholder="https://example.org/v1" required />{err('endpointUrl')}</label>
        <label>Served model id<input name="endpointModel" placeholder="my-org/spine-vlm-7b" required />{err('endpointModel')}</label>
        <label>
          Bearer token (optional; stored encrypted, never shown again)
          <input name="endpointToken" type="password" autoComplete="off" />
          {err('endpointToken')}
        </label>
        <ReleaseSplitFields releases={releases} defaultSplit="test" error={err} />
        <button type="submit">Submit</button>
      </Form>
    </>
  );
}
