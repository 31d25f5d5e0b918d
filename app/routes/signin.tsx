import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data, redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { authenticate } from '../auth/accounts.server';
import { LIMITS, signInForm } from '../auth/forms';
import { currentUser, safeNextPath, startSession } from '../auth/session.server';
import { TextField } from '../components/text-field';
import { parseFields } from '../utils/submission-form';

export const meta: MetaFunction = () => [{ title: 'Sign in · SpineBench Hub' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const next = safeNextPath(url.searchParams.get('next'));
  if (await currentUser(request, context.services)) throw redirect(next);
  return { next, reset: url.searchParams.get('reset') === '1' };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = Object.fromEntries(await request.formData());
  const parsed = parseFields(signInForm, form);
  if (!parsed.ok) return data({ fieldErrors: parsed.fieldErrors, error: null as string | null }, { status: 400 });
  const { email, password, next } = parsed.value;
  const result = await authenticate(context.services, email, password, context.clientAddress ?? 'unknown');
  if (!result.ok) return data({ fieldErrors: {} as Record<string, string>, error: result.error }, { status: result.status });
  return startSession(request, context.services, result.userId, safeNextPath(next));
}

export default function SignIn() {
  const { next, reset } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result?.fieldErrors as Record<string, string> | undefined;
  return (
    <>
      <h1>Sign in</h1>
      {reset ? <p className="success-box" role="status">Your password was changed; sign in with the new one.</p> : null}
      {result?.error ? <p className="error-box" role="alert" data-testid="signin-error">{result.error}</p> : null}
      <Form method="post" className="stack" noValidate>
        <input type="hidden" name="next" value={next} />
        <TextField name="email" label="E-mail address" type="email" autoComplete="email" required maxLength={LIMITS.email} error={errors?.email} />
        <TextField name="password" label="Password" type="password" autoComplete="current-password" required maxLength={LIMITS.password} error={errors?.password} />
        <button type="submit">Sign in</button>
      </Form>
      <p>
        <Link to="/forgot-password">Forgot the password?</Link> · No account yet? <Link to="/signup">Create one</Link>.
      </p>
    </>
  );
}
