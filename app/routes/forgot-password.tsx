import type { ActionFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { Form, useActionData } from '@remix-run/react';
import { requestPasswordReset } from '../auth/accounts.server';
import { forgotPasswordForm, LIMITS } from '../auth/forms';
import { TextField } from '../components/text-field';
import { parseFields } from '../utils/submission-form';

export const meta: MetaFunction = () => [{ title: 'Reset the password · SpineBench Hub' }];

export async function action({ request, context }: ActionFunctionArgs) {
  const parsed = parseFields(forgotPasswordForm, Object.fromEntries(await request.formData()));
  if (!parsed.ok) return data({ fieldErrors: parsed.fieldErrors, sent: false }, { status: 400 });
  await requestPasswordReset(request, context.services, parsed.value.email);
  return { fieldErrors: {} as Record<string, string>, sent: true };
}

export default function ForgotPassword() {
  const result = useActionData<typeof action>();
  const errors = result?.fieldErrors as Record<string, string> | undefined;
  return (
    <>
      <h1>Reset the password</h1>
      {result?.sent ? (
        <p className="success-box" role="status">If that address has an account, a reset link is on its way (valid for an hour).</p>
      ) : null}
      <Form method="post" className="stack" noValidate>
        <TextField name="email" label="E-mail address" type="email" autoComplete="email" required maxLength={LIMITS.email} error={errors?.email} />
        <button type="submit">Send a reset link</button>
      </Form>
    </>
  );
}
