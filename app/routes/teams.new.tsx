import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data, redirect } from '@remix-run/node';
import { Form, useActionData } from '@remix-run/react';
import { z } from 'zod';
import { createTeamWithOwner } from '../../db/queries/teams';
import { LIMITS } from '../auth/forms';
import { nameKey } from '../auth/name-key';
import { requireUser } from '../auth/session.server';
import { TextField } from '../components/text-field';
import { parseFields } from '../utils/submission-form';

export const meta: MetaFunction = () => [{ title: 'Create a team · SpineBench Hub' }];

const teamForm = z.object({
  name: z
    .string({ required_error: 'Team name is required.' })
    .trim()
    .min(2, 'Team name needs at least 2 characters.')
    .max(LIMITS.teamName, `Team name must be at most ${LIMITS.teamName} characters.`)
    .refine((n) => !/[\p{Cc}]/u.test(n), 'Team name may not hold control characters.')
    .refine((n) => nameKey(n).length >= 2, 'Team name needs at least 2 visible letters or digits.'),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context.services);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context.services);
  const form = Object.fromEntries(await request.formData());
  const parsed = parseFields(teamForm, form);
  const typed = String(form.name ?? '').slice(0, LIMITS.teamName);
  if (!parsed.ok) return data({ fieldErrors: parsed.fieldErrors, name: typed }, { status: 400 });
  const team = await createTeamWithOwner(context.services.db, { name: parsed.value.name, nameKey: nameKey(parsed.value.name), ownerId: user.id });
  if (!team) {
    return data(
      { fieldErrors: { name: `Team name "${parsed.value.name}" is taken, or too close to a team name that is (case, look-alike letters and invisible characters count as the same).` } as Record<string, string>, name: typed },
      { status: 409 },
    );
  }
  return redirect(`/teams/${team.id}`);
}

export default function NewTeam() {
  const result = useActionData<typeof action>();
  const errors = result?.fieldErrors as Record<string, string> | undefined;
  return (
    <>
      <h1>Create a team</h1>
      <p className="note">You become its owner and can invite members. Quotas and results belong to the team.</p>
      <Form method="post" className="stack" noValidate>
        <TextField name="name" label="Team name" required maxLength={LIMITS.teamName} defaultValue={result?.name} error={errors?.name} />
        <button type="submit">Create team</button>
      </Form>
    </>
  );
}
