import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data, redirect } from '@remix-run/node';
import { Form, Link, useActionData } from '@remix-run/react';
import { signUp } from '../auth/accounts.server';
import { LIMITS, signUpForm } from '../auth/forms';
import { currentUser, startSession } from '../auth/session.server';
import { TextField } from '../components/text-field';
import { parseFields } from '../utils/submission-form';

export const meta: MetaFunction = () => [{ title: 'Create an account · SpineBench Hub' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (await currentUser(request, context.services)) throw redirect('/account');
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = Object.fromEntries(await request.formData());
  const parsed = parseFields(signUpForm, form);
  if (!parsed.ok) return data({ fieldErrors: parsed.fieldErrors, email: String(form.email ?? '') }, { status: 400 });
  const user = await signUp(request, context.services, parsed.value.email, parsed.value.password);
  if (!user) {
    return data(
      { fieldErrors: { email: 'E-mail address already has an account: sign in, or reset its password.' } as Record<string, string>, email: parsed.value.email },
      { status: 409 },
    );
  }
  return startSession(request, context.services, user.id, '/account?welcome=1');
}

export default function SignUp() {
  const result = useActionData<typeof action>();
  const errors = result?.fieldErrors as Record<string, string> | undefined;
  return (
    <>
      <h1>Create an account</h1>
      <p className="note">
        We send a link to verify your address. Hidden-split runs need a verified address (see the team page for the
        rule this platform applies).
      </p>
      <Form method="post" className="stack" noValidate>
        <TextField name="email" label="E-mail address" type="email" autoComplete="email" required maxLength={LIMITS.email} defaultValue={result?.email} error={errors?.email} />
        <TextField
          name="password"
          label="Password"
          type="password"
          autoComplete="new-password"
          required
          minLength={LIMITS.passwordMin}
          maxLength={LIMITS.password}
          hint={`At least ${LIMITS.passwordMin} characters.`}
          error={errors?.password}
        />
        <button type="submit">Create account</button>
      </Form>
      <p>Already have one? <Link to="/signin">Sign in</Link>.</p>
    </>
  );
}
