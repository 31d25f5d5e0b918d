import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { findUserByEmail } from '../../db/queries/accounts';
import { handOverTeam, listTeamsForMaintainers, setHiddenAccessApproval } from '../../db/queries/teams';
import { emailField, LIMITS } from '../auth/forms';
import { currentUser } from '../auth/session.server';
import { parseTeamId } from '../teams/team-access.server';
import { recordTeamEvent } from '../teams/team-events.server';
import { maintainerActor, requireMaintainer } from '../utils/maintainer-auth.server';
import { MAX_DAILY_TEST_RUNS, listTeamQuotaOverrides, setTeamQuotaOverride } from '../../db/queries/quota-overrides';
import { ConsoleNav } from '../components/console-nav';

export const meta: MetaFunction = () => [{ title: 'Teams · Maintainers · SpineBench Hub' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireMaintainer(request, context.services);
  const [teams, overrides] = await Promise.all([listTeamsForMaintainers(context.services.db), listTeamQuotaOverrides(context.services.db)]);
  return {
    rule: context.services.config.hiddenSplitAccess,
    defaultQuota: context.services.config.dailyTestRuns,
    teams: teams.map((t) => ({ ...t, approved: t.hiddenAccessApprovedAt !== null, hiddenAccessApprovedAt: undefined, quota: overrides.get(t.id) ?? null })),
  };
}

type Result = { message: string | null; error: string | null };

export async function action({ request, context }: ActionFunctionArgs) {
  await requireMaintainer(request, context.services, 'forbid');
  const maintainer = (await currentUser(request, context.services))!;
  const form = await request.formData();
  const intent = String(form.get('intent') ?? '');
  const teamId = parseTeamId(String(form.get('teamId') ?? ''));
  if (intent === 'hand-over') {
    const email = emailField.safeParse(form.get('email') ?? '');
    if (!email.success) return data<Result>({ message: null, error: `New owner: ${email.error.issues[0].message}` }, { status: 400 });
    const user = await findUserByEmail(context.services.db, email.data);
    if (!user) return data<Result>({ message: null, error: `New owner: no account has the address ${email.data}.` }, { status: 404 });
    if (!(await handOverTeam(context.services.db, teamId, user.id))) {
      return data<Result>({ message: null, error: 'Only teams with no members (and not the baselines) can be handed over.' }, { status: 409 });
    }
    await recordTeamEvent(context.services, { action: 'team.handed-over', actorId: maintainer.id, teamId, target: `user:${user.id}` });
    return { message: `Team ${teamId} now belongs to ${email.data}.`, error: null } satisfies Result;
  }
  if (intent === 'quota') {
    const raw = String(form.get('dailyTestRuns') ?? '').trim();
    const value = raw === '' ? null : Number(raw);
    if (value !== null && (!Number.isInteger(value) || value < 0 || value > MAX_DAILY_TEST_RUNS)) {
      return data<Result>({ message: null, error: `Daily hidden-split runs: a whole number from 0 to ${MAX_DAILY_TEST_RUNS}, or empty for the default.` }, { status: 400 });
    }
    const { db, config } = context.services;
    const actor = await maintainerActor(request, context.services);
    if (!(await setTeamQuotaOverride(db, { teamId, dailyTestRuns: value, reason: String(form.get('reason') ?? ''), actor, defaultLimit: config.dailyTestRuns }))) {
      return data<Result>({ message: null, error: `Team ${teamId} does not exist.` }, { status: 404 });
    }
    return { message: `Team ${teamId}: ${value === null ? `back to the default of ${config.dailyTestRuns}` : value} hidden-split runs a day.`, error: null } satisfies Result;
  }
  if (intent === 'approve' || intent === 'unapprove') {
    await setHiddenAccessApproval(context.services.db, teamId, intent === 'approve');
    await recordTeamEvent(context.services, { action: 'team.hidden-access', actorId: maintainer.id, teamId, target: intent });
    return { message: `Team ${teamId}: hidden-split approval ${intent === 'approve' ? 'granted' : 'withdrawn'}.`, error: null } satisfies Result;
  }
  return data<Result>({ message: null, error: `Unknown action "${intent.slice(0, 40)}".` }, { status: 400 });
}

export default function MaintainerTeams() {
  const { teams, rule, defaultQuota } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <h1>Teams</h1>
      <ConsoleNav />
      <p className="note">
        Hidden-split access rule (HIDDEN_SPLIT_ACCESS): <strong>{rule}</strong>. Approval grants access whatever the rule.
        Teams with no members date from before accounts: hand them to the account of their owner. Daily hidden-split runs:
        {' '}{defaultQuota} per team unless set here (empty: the default); teams see theirs on their page.
      </p>
      {result?.message ? <p className="success-box" role="status">{result.message}</p> : null}
      {result?.error ? <p className="error-box" role="alert">{result.error}</p> : null}
      <div className="table-scroll">
        <table>
          <thead>
            <tr><th scope="col">Team</th><th scope="col">Members</th><th scope="col">Models</th><th scope="col">Approved</th><th scope="col">Daily hidden runs</th><th scope="col">Actions</th></tr>
          </thead>
          <tbody>
            {teams.map((t) => (
              <tr key={t.id} data-testid={`maintainer-team-${t.id}`}>
                <td><Link to={`/teams/${t.id}`}>{t.name}</Link>{t.isBaseline ? <span className="badge baseline">baseline</span> : null}</td>
                <td className="num">{t.members}</td>
                <td className="num">{t.models}</td>
                <td>{t.approved ? 'yes' : 'no'}</td>
                <td>
                  <Form method="post" className="inline-form" aria-label={`Daily hidden-split runs of ${t.name}`}>
                    <input type="hidden" name="teamId" value={t.id} />
                    <input type="hidden" name="intent" value="quota" />
                    <label>
                      Runs a day
                      <input name="dailyTestRuns" type="number" min={0} max={MAX_DAILY_TEST_RUNS} defaultValue={t.quota?.dailyTestRuns ?? ''} placeholder={String(defaultQuota)} />
                    </label>
                    <label>
                      Why
                      <input name="reason" maxLength={500} defaultValue={t.quota?.reason ?? ''} />
                    </label>
                    <button type="submit">Set quota</button>
                  </Form>
                </td>
                <td className="actions">
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="teamId" value={t.id} />
                    <input type="hidden" name="intent" value={t.approved ? 'unapprove' : 'approve'} />
                    <button type="submit">{t.approved ? 'Withdraw approval' : 'Approve for hidden split'}</button>
                  </Form>
                  {t.members === 0 && !t.isBaseline ? (
                    <Form method="post" className="inline-form">
                      <input type="hidden" name="teamId" value={t.id} />
                      <input type="hidden" name="intent" value="hand-over" />
                      <label>
                        New owner’s e-mail
                        <input name="email" type="email" required maxLength={LIMITS.email} />
                      </label>
                      <button type="submit">Hand over</button>
                    </Form>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
