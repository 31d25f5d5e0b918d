import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { listTeamsOf } from '../../db/queries/teams';
import { sendVerificationMail } from '../auth/accounts.server';
import { requireUser } from '../auth/session.server';

export const meta: MetaFunction = () => [{ title: 'Your account · SpineBench Hub' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context.services);
  return { user, teams: await listTeamsOf(context.services.db, user.id), welcome: new URL(request.url).searchParams.get('welcome') === '1' };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context.services);
  const intent = String((await request.formData()).get('intent') ?? '');
  if (intent !== 'resend-verification') return data({ message: null, error: `Unknown action "${intent.slice(0, 40)}".` }, { status: 400 });
  if (user.emailVerified || !user.email) return data({ message: null, error: 'Your address is verified already.' }, { status: 409 });
  await sendVerificationMail(request, context.services, { id: user.id, email: user.email });
  return { message: 'A new verification link is on its way.', error: null };
}

export default function Account() {
  const { user, teams, welcome } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <h1>Your account</h1>
      {welcome ? <p className="success-box" role="status">Welcome! We sent a verification link to {user.email}.</p> : null}
      {result?.message ? <p className="success-box" role="status">{result.message}</p> : null}
      {result?.error ? <p className="error-box" role="alert">{result.error}</p> : null}
      <table className="facts">
        <tbody>
          <tr><th scope="row">E-mail address</th><td>{user.email}</td></tr>
          <tr>
            <th scope="row">Verified</th>
            <td data-testid="email-verified">
              {user.emailVerified ? 'yes' : 'not yet'}
              {!user.emailVerified ? (
                <Form method="post" className="inline-form">
                  <input type="hidden" name="intent" value="resend-verification" />
                  <button type="submit">Send the link again</button>
                </Form>
              ) : null}
            </td>
          </tr>
          <tr><th scope="row">Role</th><td>{user.role === 'maintainer' ? 'platform maintainer' : 'user'}</td></tr>
        </tbody>
      </table>
      <h2>Your teams</h2>
      {teams.length === 0 ? <p>You are in no team yet. Create one, or open an invite link a team’s owner sent you.</p> : (
        <ul data-testid="my-teams">
          {teams.map((t) => <li key={t.id}><Link to={`/teams/${t.id}`}>{t.name}</Link> · {t.role}</li>)}
        </ul>
      )}
      <p><Link to="/teams/new">Create a team</Link>{user.role === 'maintainer' ? <> · <Link to="/maintainer/teams">All teams (maintainers)</Link></> : null}</p>
      <p><Link to="/forgot-password">Change the password</Link> (by a mailed link).</p>
      <Form method="post" action="/signout">
        <button type="submit">Sign out</button>
      </Form>
    </>
  );
}
