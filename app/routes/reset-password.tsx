import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data, redirect } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { emailTokenIsLive } from '../../db/queries/accounts';
import { resetPassword } from '../auth/accounts.server';
import { LIMITS, resetPasswordForm } from '../auth/forms';
import { tokenDigest } from '../auth/one-time-tokens.server';
import { TextField } from '../components/text-field';
import { parseFields } from '../utils/submission-form';

export const meta: MetaFunction = () => [{ title: 'Choose a new password · SpineBench Hub' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const token = (new URL(request.url).searchParams.get('token') ?? '').slice(0, LIMITS.token);
  const live = token ? await emailTokenIsLive(context.services.db, tokenDigest(token), 'reset-password') : false;
  return data({ token, live }, { status: live ? 200 : 410 });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const parsed = parseFields(resetPasswordForm, Object.fromEntries(await request.formData()));
  if (!parsed.ok) return data({ fieldErrors: parsed.fieldErrors }, { status: 400 });
  const userId = await resetPassword(context.services, parsed.value.token, parsed.value.password);
  if (!userId) return data({ fieldErrors: { token: 'This reset link was used already or has expired; ask for a new one.' } as Record<string, string> }, { status: 410 });
  return redirect('/signin?reset=1');
}

export default function ResetPassword() {
  const { token, live } = useLoaderData<typeof loader>();
  const errors = useActionData<typeof action>()?.fieldErrors as Record<string, string> | undefined;
  if (!live) {
    return (
      <>
        <h1>Choose a new password</h1>
        <p className="error-box" role="alert">This reset link is not valid: it was used already, has expired or is incomplete. <a href="/forgot-password">Ask for a new one</a>.</p>
      </>
    );
  }
  return (
    <>
      <h1>Choose a new password</h1>
      {errors?.token ? <p className="error-box" role="alert">{errors.token}</p> : null}
      <Form method="post" className="stack" noValidate>
        <input type="hidden" name="token" value={token} />
        <TextField name="password" label="New password" type="password" autoComplete="new-password" required minLength={LIMITS.passwordMin} maxLength={LIMITS.password} error={errors?.password} />
        <button type="submit">Set the new password</button>
      </Form>
    </>
  );
}
