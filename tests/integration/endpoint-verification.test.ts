/**
 * Endpoint host verification on a real server and real Postgres: the team page hands out a token, the check
 * fetches /.well-known/spinebench-verification through the SSRF-guarded client, a verified origin puts a
 * badge on the team's endpoint runs (page and API), a later failing check takes it away, and refused
 * addresses are never fetched.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAs, verifiedAccount, type Account } from '../support/accounts';
import { createApiToken, createTeam, postTeamForm } from '../support/api-tokens';
import { DEMO_RELEASE } from '../support/demo-oracle';
import { startPlatform, type RunningProcess } from '../support/processes';
import { createTestDatabase, realServicesAvailable } from '../support/services';

const servicesUp = await realServicesAvailable();

/** A team's model server that also serves (or not) the verification file. */
function startTeamHost() {
  const state = { served: 'nothing here', wellKnownHits: 0 };
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/.well-known/spinebench-verification') {
      state.wellKnownHits++;
      res.writeHead(200, { 'content-type': 'text/plain' }).end(`${state.served}\n`);
      return;
    }
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({ id: 'c', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'Answer: A' }, finish_reason: 'stop' }] }),
      );
    });
  });
  return new Promise<{ url: string; state: typeof state; close(): Promise<void> }>((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, state, close: () => new Promise((r) => server.close(() => r())) }),
    ),
  );
}

describe('endpoint host verification on real Postgres', () => {
  let platform: { baseUrl: string; proc: RunningProcess };
  let baseUrl = '';
  let sql: postgres.Sql | undefined;
  let dropDb: (() => Promise<void>) | undefined;
  let host: Awaited<ReturnType<typeof startTeamHost>>;
  let owner: Account;
  let rival: Account;
  let teamId = 0;
  let rivalTeam = 0;

  beforeAll(async () => {
    if (!servicesUp) return;
    const database = await createTestDatabase();
    dropDb = database.drop;
    host = await startTeamHost();
    const started = await startPlatform({ databaseUrl: database.url });
    platform = { baseUrl: started.baseUrl, proc: started.proc };
    baseUrl = started.baseUrl;
    sql = postgres(database.url, { max: 1, onnotice: () => {} });
    owner = await verifiedAccount(platform);
    teamId = await createTeam(baseUrl, owner, 'Host Lab');
    rival = await verifiedAccount(platform);
    rivalTeam = await createTeam(baseUrl, rival, 'Other Host Lab');
  }, 120_000);
  afterAll(async () => {
    await sql?.end();
    await platform?.proc.stop();
    await host?.close();
    await dropDb?.();
  });

  const verificationId = async (origin: string) => (await sql!`select id from endpoint_host_verifications where team_id = ${teamId} and origin = ${origin}`)[0]?.id as number;

  it.runIf(servicesUp)('hands out a token, verifies the origin serving it, badges the team’s endpoint runs, and unverifies when it goes', async () => {
    const bad = await postTeamForm(baseUrl, teamId, [['intent', 'verify-endpoint'], ['endpointUrl', 'example.org/v1']], owner.cookie);
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Endpoint URL: give a full http(s) URL');

    const started = await postTeamForm(baseUrl, teamId, [['intent', 'verify-endpoint'], ['endpointUrl', `${host.url}/v1`]], owner.cookie);
    expect(started.status).toBe(200);
    const token = /data-testid="verification-token">(sbv_[A-Za-z0-9_-]+)</.exec(started.text)?.[1];
    expect(token).toBeTruthy();
    const id = await verificationId(host.url);

    // Not served yet: refused, with the reason, and not verified.
    const early = await postTeamForm(baseUrl, teamId, [['intent', 'check-endpoint'], ['verificationId', String(id)]], owner.cookie);
    expect(early.status).toBe(422);
    expect(early.text).toContain('does not hold this team&#x27;s token');
    // Someone outside the team cannot check it.
    expect((await postTeamForm(baseUrl, teamId, [['intent', 'check-endpoint'], ['verificationId', String(id)]], rival.cookie)).status).toBe(403);

    host.state.served = token!;
    const checked = await postTeamForm(baseUrl, teamId, [['intent', 'check-endpoint'], ['verificationId', String(id)]], owner.cookie);
    expect(checked.status).toBe(200);
    expect(checked.text).toContain(`Endpoint host ${host.url} is verified.`);

    // A run of this team on that origin has the badge; the same origin under another team's run has not.
    const apiToken = await createApiToken(baseUrl, owner, teamId, 'verify', ['submit']);
    const rivalToken = await createApiToken(baseUrl, rival, rivalTeam, 'verify', ['submit']);
    const submit = async (tok: string, modelName: string) => {
      const res = await fetch(`${baseUrl}/api/v1/submissions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tok}`, 'content-type': 'application/json' },
        body: JSON.stringify({ modelName, endpointUrl: `${host.url}/v1`, endpointModel: 'm', release: DEMO_RELEASE, split: 'dev' }),
      });
      expect(res.status).toBe(201);
      return ((await res.json()) as { runId: number }).runId;
    };
    const ours = await submit(apiToken, 'verified-model');
    const theirs = await submit(rivalToken, 'unverified-model');
    const runJson = async (runId: number) => (await (await fetch(`${baseUrl}/api/v1/runs/${runId}`)).json()) as { endpointHostVerified: boolean };
    expect((await runJson(ours)).endpointHostVerified).toBe(true);
    expect((await runJson(theirs)).endpointHostVerified).toBe(false);
    expect((await getAs(baseUrl, `/runs/${ours}`)).text).toContain('data-testid="endpoint-verified"');
    expect((await getAs(baseUrl, `/runs/${theirs}`)).text).not.toContain('data-testid="endpoint-verified"');

    // The file is gone: the next check takes the badge away.
    host.state.served = 'moved on';
    expect((await postTeamForm(baseUrl, teamId, [['intent', 'check-endpoint'], ['verificationId', String(id)]], owner.cookie)).status).toBe(422);
    expect((await runJson(ours)).endpointHostVerified).toBe(false);
  }, 120_000);

  it.runIf(servicesUp)('a check of a refused address (cloud metadata) is refused by the SSRF guard and fetches nothing', async () => {
    const hitsBefore = host.state.wellKnownHits;
    expect((await postTeamForm(baseUrl, teamId, [['intent', 'verify-endpoint'], ['endpointUrl', 'http://169.254.169.254/latest']], owner.cookie)).status).toBe(200);
    const id = await verificationId('http://169.254.169.254');
    const res = await postTeamForm(baseUrl, teamId, [['intent', 'check-endpoint'], ['verificationId', String(id)]], owner.cookie);
    expect(res.status).toBe(422);
    expect(res.text).toMatch(/not verified: refused/);
    const [row] = await sql!`select verified_at, last_error from endpoint_host_verifications where id = ${id}`;
    expect(row.verified_at).toBeNull();
    expect(row.last_error).toMatch(/^refused/);
    expect(host.state.wellKnownHits).toBe(hitsBefore);
  });
});
