import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data, redirect } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { findReleaseBySlug, listVisibleReleases, releaseSlug } from '../../db/queries/releases';
import { getTestRunQuota } from '../../db/queries/quota';
import { submitEndpoint } from '../utils/submission-service.server';
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
  const outcome = await submitEndpoint(context.services, Object.fromEntries(await request.formData()));
  if (!outcome.ok) return data({ fieldErrors: outcome.fieldErrors ?? {} }, { status: outcome.status });
  return redirect(`/runs/${outcome.runId}`);
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
