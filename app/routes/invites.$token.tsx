import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data, redirect } from '@remix-run/node';
import { Form, useLoaderData } from '@remix-run/react';
import { acceptInvite, liveInviteTeam } from '../../db/queries/teams';
import { LIMITS } from '../auth/forms';
import { tokenDigest } from '../auth/one-time-tokens.server';
import { requireUser } from '../auth/session.server';

export const meta: MetaFunction = () => [{ title: 'Join a team · SpineBench Hub' }];

const INVALID = 'This invite link is not valid: it was used already, has expired or is incomplete. Ask the team’s owner for a new one.';

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireUser(request, context.services);
  const token = (params.token ?? '').slice(0, LIMITS.token);
  const team = await liveInviteTeam(context.services.db, tokenDigest(token));
  if (!team) throw data(INVALID, { status: 410 });
  return { teamName: team.name };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context.services);
  const outcome = await acceptInvite(context.services.db, tokenDigest((params.token ?? '').slice(0, LIMITS.token)), user.id);
  if (outcome.ok) return redirect(`/teams/${outcome.teamId}`);
  if (outcome.reason === 'already-member') throw data('You are a member of this team already; the invite stays unused.', { status: 409 });
  throw data(INVALID, { status: 410 });
}

export default function AcceptInvite() {
  const { teamName } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Join {teamName}</h1>
      <p>You were invited to join the team <strong>{teamName}</strong> as a member.</p>
      <Form method="post">
        <button type="submit">Join {teamName}</button>
      </Form>
    </>
  );
}
