import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { emailTokenIsLive } from '../../db/queries/accounts';
import { verifyEmail } from '../auth/accounts.server';
import { tokenDigest } from '../auth/one-time-tokens.server';
import { LIMITS } from '../auth/forms';

export const meta: MetaFunction = () => [{ title: 'Verify your address · SpineBench Hub' }];

// The link only shows a button: mail scanners that open links must not use up the token.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const token = (new URL(request.url).searchParams.get('token') ?? '').slice(0, LIMITS.token);
  const live = token ? await emailTokenIsLive(context.services.db, tokenDigest(token), 'verify-email') : false;
  return data({ token, live }, { status: live ? 200 : 410 });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const token = String((await request.formData()).get('token') ?? '').slice(0, LIMITS.token);
  const ok = token ? await verifyEmail(context.services, token) : false;
  return data({ ok }, { status: ok ? 200 : 410 });
}

export default function VerifyEmail() {
  const { token, live } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  if (result?.ok) {
    return (
      <>
        <h1>Address verified</h1>
        <p className="success-box" role="status" data-testid="verified">Your address is verified.</p>
        <p><Link to="/account">Go to your account</Link></p>
      </>
    );
  }
  if (!live || result) {
    return (
      <>
        <h1>Verify your address</h1>
        <p className="error-box" role="alert">This verification link is not valid: it was used already, has expired or is incomplete. Sign in and send a new one from your account page.</p>
      </>
    );
  }
  return (
    <>
      <h1>Verify your address</h1>
      <Form method="post">
        <input type="hidden" name="token" value={token} />
        <button type="submit">Verify my address</button>
      </Form>
    </>
  );
}
