import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { listTeamRuns, withdrawRun } from '../../db/queries/team-runs';
import { teamTestRunQuota } from '../../db/queries/quota';
import { insertInvite, listMembers, listOpenInvites } from '../../db/queries/teams';
import { rankBoard } from '../../workers/rank-board';
import { newSecretToken, tokenDigest } from '../auth/one-time-tokens.server';
import { parseTeamId, requireTeamAccess, teamHiddenSplitVerdict } from '../teams/team-access.server';
import { recordTeamEvent } from '../teams/team-events.server';
import { listTeamTokens } from '../../db/queries/api-tokens';
import { ApiTokensSection } from '../components/api-tokens-section';
import { createTeamToken, revokeTeamToken } from '../api/team-tokens.server';
import { listTeamVerifications } from '../../db/queries/endpoint-verifications';
import { EndpointVerificationSection } from '../components/endpoint-verification-section';
import { checkVerification, startVerification } from '../teams/endpoint-verification.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.team.name ?? 'Team'} · SpineBench Hub` }];

const INVITE_TTL_MS = 7 * 24 * 3_600_000;

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { db, config } = context.services;
  const { team, role } = await requireTeamAccess(request, context.services, parseTeamId(params.teamId), { allowMaintainer: true });
  const isMember = role === 'owner' || role === 'member';
  const [members, runs, quota, verdict, invites, tokens, verifications] = await Promise.all([
    listMembers(db, team.id),
    listTeamRuns(db, team.id),
    teamTestRunQuota(db, team.id, config.dailyTestRuns),
    teamHiddenSplitVerdict(context.services, team),
    listOpenInvites(db, team.id),
    isMember ? listTeamTokens(db, team.id) : Promise.resolve([]),
    isMember ? listTeamVerifications(db, team.id) : Promise.resolve([]),
  ]);
  return {
    team: { id: team.id, name: team.name, isBaseline: team.isBaseline },
    role,
    members,
    runs: runs.map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), withdrawn: r.withdrawnAt !== null })),
    quota,
    verdict,
    openInvites: invites.length,
    tokens: tokens.map((t) => ({
      id: t.id,
      name: t.name,
      scopes: t.scopes,
      createdAt: t.createdAt.toISOString(),
      lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
      revokedAt: t.revokedAt?.toISOString() ?? null,
    })),
    verifications: verifications.map((v) => ({
      id: v.id,
      origin: v.origin,
      token: v.token,
      verifiedAt: v.verifiedAt?.toISOString() ?? null,
      checkedAt: v.checkedAt?.toISOString() ?? null,
      lastError: v.lastError,
    })),
  };
}

interface TeamActionResult {
  inviteUrl: string | null;
  message: string | null;
  error: string | null;
  /** A token just created: shown this once. */
  newToken?: { name: string; token: string };
  fieldErrors?: Record<string, string>;
}

export async function action({ request, params, context }: ActionFunctionArgs): Promise<TeamActionResult | ReturnType<typeof data<TeamActionResult>>> {
  const { db } = context.services;
  const teamId = parseTeamId(params.teamId);
  const form = await request.formData();
  const intent = String(form.get('intent') ?? '');
  if (intent === 'invite') {
    const { user, team } = await requireTeamAccess(request, context.services, teamId, { owner: true });
    const token = newSecretToken();
    await insertInvite(db, { tokenHash: tokenDigest(token), teamId: team.id, createdBy: user.id, expiresAt: new Date(Date.now() + INVITE_TTL_MS) });
    return { inviteUrl: `${context.services.config.publicUrl ?? new URL(request.url).origin}/invites/${token}`, message: null, error: null };
  }
  if (intent === 'create-token') {
    const { user, team } = await requireTeamAccess(request, context.services, teamId, { owner: true });
    const created = await createTeamToken(context.services, user, team, form);
    if (!created.ok) return data({ inviteUrl: null, message: null, error: 'The token was not created: fix the fields below.', fieldErrors: created.fieldErrors }, { status: 400 });
    return { inviteUrl: null, message: null, error: null, newToken: { name: created.name, token: created.token } };
  }
  if (intent === 'revoke-token') {
    const { user, team } = await requireTeamAccess(request, context.services, teamId, { owner: true });
    const tokenId = Number(form.get('tokenId'));
    if (!Number.isSafeInteger(tokenId) || tokenId <= 0) return data({ inviteUrl: null, message: null, error: 'Token: choose a token to revoke.' }, { status: 400 });
    const revoked = await revokeTeamToken(context.services, user, team, tokenId);
    if (!revoked) return data({ inviteUrl: null, message: null, error: 'Token: this team has no live token with that id (already revoked?).' }, { status: 404 });
    return { inviteUrl: null, message: `API token "${revoked.name}" is revoked: calls with it are refused from now on.`, error: null };
  }
  if (intent === 'verify-endpoint') {
    const { user, team } = await requireTeamAccess(request, context.services, teamId, { owner: true });
    const started = await startVerification(context.services, user, team.id, String(form.get('endpointUrl') ?? ''));
    if (!started.ok) return data({ inviteUrl: null, message: null, error: started.message, fieldErrors: { endpointUrl: started.message } }, { status: 400 });
    return { inviteUrl: null, message: `Serve the token shown for ${started.origin}, then press “Check now”.`, error: null };
  }
  if (intent === 'check-endpoint') {
    const { user, team } = await requireTeamAccess(request, context.services, teamId, { owner: true });
    const id = Number(form.get('verificationId'));
    const checked = Number.isSafeInteger(id) && id > 0 ? await checkVerification(context.services, team.id, id) : null;
    if (!checked) return data({ inviteUrl: null, message: null, error: 'Endpoint host: this team has no such verification.' }, { status: 404 });
    await recordTeamEvent(context.services, { action: checked.ok ? 'endpoint.verified' : 'endpoint.check-failed', actorId: user.id, teamId: team.id, target: checked.origin });
    if (!checked.ok) return data({ inviteUrl: null, message: null, error: `Endpoint host ${checked.origin} is not verified: ${checked.message}.` }, { status: 422 });
    return { inviteUrl: null, message: `Endpoint host ${checked.origin} is verified.`, error: null };
  }
  if (intent === 'withdraw') {
    const { user, team } = await requireTeamAccess(request, context.services, teamId);
    const runId = Number(form.get('runId'));
    if (!Number.isSafeInteger(runId) || runId <= 0) return data({ inviteUrl: null, message: null, error: 'Run: choose a run to withdraw.' }, { status: 400 });
    const outcome = await withdrawRun(db, runId, team.id, user.id);
    if (!outcome.ok) return data({ inviteUrl: null, message: null, error: outcome.reason }, { status: outcome.status });
    await recordTeamEvent(context.services, { action: 'run.withdrawn', actorId: user.id, teamId: team.id, target: `run:${runId}` });
    await rankBoard(db, outcome.releaseId, outcome.split);
    return { inviteUrl: null, message: `Run ${runId} is withdrawn: it stays on record and leaves the board.`, error: null };
  }
  return data({ inviteUrl: null, message: null, error: `Unknown action "${intent.slice(0, 40)}".` }, { status: 400 });
}

export default function TeamPage() {
  const { team, role, members, runs, quota, verdict, openInvites, tokens, verifications } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const isMember = role === 'owner' || role === 'member';
  return (
    <>
      <h1>{team.name}</h1>
      {result?.message ? <p className="success-box" role="status">{result.message}</p> : null}
      {result?.error ? <p className="error-box" role="alert">{result.error}</p> : null}
      <table className="facts">
        <tbody>
          <tr><th scope="row">Your role</th><td data-testid="team-role">{role}</td></tr>
          <tr>
            <th scope="row">Hidden-split runs left today</th>
            <td data-testid="team-quota">
              {quota.exempt ? 'exempt (the platform’s baselines)' : `${quota.remaining} of ${quota.limit} (resets ${quota.resetsAt.slice(0, 16).replace('T', ' ')} UTC)`}
              {quota.overridden && !quota.exempt ? <span className="note" data-testid="quota-override"> · set for this team by the maintainers</span> : null}
            </td>
          </tr>
          <tr>
            <th scope="row">Hidden-split access</th>
            <td data-testid="hidden-access">{verdict.ok ? `yes: ${verdict.basis}` : verdict.reason}</td>
          </tr>
        </tbody>
      </table>

      <h2>Members</h2>
      <ul>
        {members.map((m) => (
          <li key={m.userId}>{m.email} · {m.role}{m.verified ? '' : ' · address not verified'}</li>
        ))}
        {members.length === 0 ? <li>No members: a maintainer can hand this team over.</li> : null}
      </ul>
      {role === 'owner' ? (
        <section aria-labelledby="invite-heading">
          <h3 id="invite-heading">Invite a member</h3>
          <p className="note">An invite link works once and for 7 days. {openInvites > 0 ? `${openInvites} unused link(s) are open.` : ''}</p>
          {result?.inviteUrl ? (
            <p className="success-box" role="status">
              Send this link to the person you invite (it is shown only now): <code data-testid="invite-url">{result.inviteUrl}</code>
            </p>
          ) : null}
          <Form method="post">
            <input type="hidden" name="intent" value="invite" />
            <button type="submit">Create an invite link</button>
          </Form>
        </section>
      ) : null}

      {isMember ? <ApiTokensSection tokens={tokens} isOwner={role === 'owner'} newToken={result?.newToken ?? null} fieldErrors={result?.fieldErrors ?? {}} /> : null}
      {isMember ? <EndpointVerificationSection items={verifications} isOwner={role === 'owner'} fieldError={result?.fieldErrors?.endpointUrl} /> : null}

      <h2>Runs</h2>
      {isMember ? <p><Link to={`/submit?team=${team.id}`}>Submit a model for this team</Link></p> : null}
      {runs.length === 0 ? <p>No runs yet.</p> : (
        <div className="table-scroll">
          <table>
            <thead>
              <tr><th scope="col">Run</th><th scope="col">Model</th><th scope="col">Release</th><th scope="col">Split</th><th scope="col">Status</th><th scope="col">Score</th><th scope="col">Board</th></tr>
            </thead>
            <tbody>
              {runs.map((r) => (
                <tr key={r.runId} data-testid={`team-run-${r.runId}`}>
                  <td><Link to={`/runs/${r.runId}`}>#{r.runId}</Link></td>
                  <td>{r.modelName}</td>
                  <td>{r.release}</td>
                  <td>{r.split === 'test' ? 'hidden' : 'dev'}</td>
                  <td className={`status-${r.status}`}>{r.status}</td>
                  <td className="num">{r.score === null ? '—' : r.score.toFixed(1)}</td>
                  <td>
                    {r.withdrawn ? (
                      <span className="badge">withdrawn</span>
                    ) : r.status === 'succeeded' && isMember ? (
                      <Form method="post" className="inline-form">
                        <input type="hidden" name="intent" value="withdraw" />
                        <input type="hidden" name="runId" value={r.runId} />
                        <button type="submit" aria-label={`Withdraw run ${r.runId} from the board`}>Withdraw</button>
                      </Form>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="note">Withdrawing takes a result off the boards; the run and its scores stay on record.</p>
    </>
  );
}
