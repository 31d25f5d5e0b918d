import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data, redirect } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { listVisibleReleases, releaseSlug } from '../../db/queries/releases';
import { teamTestRunQuota } from '../../db/queries/quota';
import { NoTeamYet, SubmitterFields } from '../components/submitter-fields';
import { ReleaseSplitFields } from '../components/release-split-fields';
import { requireSubmittingUser, submitterFor } from '../teams/submitter.server';
import { submitEndpoint } from '../utils/submission-service.server';

export const meta: MetaFunction = () => [{ title: 'Submit a model · SpineBench Hub' }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const { db, config } = context.services;
  const { teams } = await requireSubmittingUser(request, context.services);
  const releases = await listVisibleReleases(db);
  const quotas = await Promise.all(teams.map(async (t) => ({ team: t.name, ...(await teamTestRunQuota(db, t.id, config.dailyTestRuns)) })));
  const chosen = Number(new URL(request.url).searchParams.get('team'));
  return {
    defaultTeamId: teams.some((t) => t.id === chosen) ? chosen : undefined,
    teams: teams.map((t) => ({ id: t.id, name: t.name })),
    releases: releases.filter((r) => r.status === 'published').map((r) => releaseSlug(r)),
    dailyTestRuns: config.dailyTestRuns,
    quotas,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { user } = await requireSubmittingUser(request, context.services);
  const fields = Object.fromEntries(await request.formData());
  const actor = await submitterFor(context.services, user, fields.teamId);
  const outcome = await submitEndpoint(context.services, actor, fields);
  if (!outcome.ok) return data({ fieldErrors: outcome.fieldErrors ?? {} }, { status: outcome.status });
  return redirect(`/runs/${outcome.runId}`);
}

export default function Submit() {
  const { teams, defaultTeamId, releases, quotas, dailyTestRuns } = useLoaderData<typeof loader>();
  const errors = useActionData<typeof action>()?.fieldErrors as Record<string, string> | undefined;
  const err = (field: string) => (errors?.[field] ? <span className="field-error" id={`${field}-error`}>{errors[field]}</span> : null);
  return (
    <>
      <h1>Submit a model</h1>
      <p className="note">
        Register an OpenAI-compatible Chat Completions endpoint (vLLM, SGLang, TGI, Ollama, ...). The platform sends
        each question with its images as data URLs at temperature 0. Each team, and each person across their teams,
        has {dailyTestRuns} hidden-split runs per day; dev-split sanity runs are free and show per-item logs. Runs that
        fail before the model answers anything, or through the platform's fault, are not counted.
      </p>
      <p className="note">Or let the platform run your model itself: <a href="/submit/onnx">submit an ONNX bundle</a>.</p>
      {teams.length === 0 ? (
        <NoTeamYet />
      ) : (
        <>
          <ul data-testid="quota">
            {quotas.map((q) => (
              <li key={q.team}>{`${q.team}: ${q.remaining} of ${q.limit} hidden-split runs left today.`}</li>
            ))}
          </ul>
          <Form method="post" className="stack">
            <SubmitterFields teams={teams} defaultTeamId={defaultTeamId} error={err} />
            <label>Endpoint base URL<input name="endpointUrl" placeholder="https://example.org/v1" required maxLength={2000} />{err('endpointUrl')}</label>
            <label>Served model id<input name="endpointModel" placeholder="my-org/spine-vlm-7b" required maxLength={200} />{err('endpointModel')}</label>
            <label>
              Bearer token (optional; stored encrypted, never shown again)
              <input name="endpointToken" type="password" autoComplete="off" maxLength={4096} />
              {err('endpointToken')}
            </label>
            <ReleaseSplitFields releases={releases} defaultSplit="test" error={err} />
            <button type="submit">Submit</button>
          </Form>
        </>
      )}
    </>
  );
}
