import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data, redirect } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { MAINTAINER_DISABLED_MESSAGE, maintainerAccess, safeNextPath, signInMaintainer } from '../utils/maintainer-auth.server';

export const meta: MetaFunction = () => [{ title: 'Maintainer sign-in · SpineBench Hub' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const next = safeNextPath(new URL(request.url).searchParams.get('next'));
  const access = await maintainerAccess(request, context.services);
  if (access === 'signed-in') throw redirect(next);
  if (access === 'disabled') return data({ disabled: MAINTAINER_DISABLED_MESSAGE as string | null, next }, { status: 503 });
  return { disabled: null, next };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const result = await signInMaintainer(request, context.services, String(form.get('token') ?? ''), String(form.get('next') ?? ''));
  if (result.ok) return result.response;
  return data({ error: result.error }, { status: context.services.config.maintainerToken ? 401 : 503 });
}

export default function MaintainerLogin() {
  const { disabled, next } = useLoaderData<typeof loader>();
  const error = useActionData<typeof action>()?.error;
  return (
    <>
      <h1>Maintainer sign-in</h1>
      {disabled ? (
        <p className="error-box" data-testid="maintainer-disabled">{disabled}</p>
      ) : (
        <Form method="post" className="stack">
          <input type="hidden" name="next" value={next} />
          <label>
            Maintainer token
            <input name="token" type="password" autoComplete="current-password" required />
            {error ? <span className="field-error" data-testid="login-error">{error}</span> : null}
          </label>
          <button type="submit">Sign in</button>
        </Form>
      )}
    </>
  );
}
