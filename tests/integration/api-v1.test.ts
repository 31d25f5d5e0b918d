/**
 * The /api/v1 REST API on a real server and real Postgres (in-process queue): the OpenAPI document validates
 * (@seriousme/openapi-schema-validator), every operation it lists is called and answers with a status the
 * document names, errors are JSON `{error: {code, message, field?}}`, and tokens are scoped, team-bound,
 * revocable and audited.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAs, verifiedAccount, type Account } from '../support/accounts';
import { createApiToken, createTeam, postTeamForm, tokenIdOnPage } from '../support/api-tokens';
import { folderEntries, tarGzBuffer } from '../support/archives';
import { DEMO_RELEASE } from '../support/demo-oracle';
import { startFakeEndpoint, type FakeEndpoint } from '../support/fake-chat-endpoint';
import { waitFor } from '../support/platform-client';
import { startPlatform, type RunningProcess } from '../support/processes';
import { createTestDatabase, realServicesAvailable } from '../support/services';

const servicesUp = await realServicesAvailable();

type Doc = { paths: Record<string, Record<string, { operationId: string; responses: Record<string, unknown> }>> };

describe('/api/v1 on real Postgres', () => {
  let platform: { baseUrl: string; proc: RunningProcess };
  let baseUrl = '';
  let sql: postgres.Sql | undefined;
  let dropDb: (() => Promise<void>) | undefined;
  let endpoint: FakeEndpoint | undefined;
  let doc: Doc;
  let owner: Account;
  let rival: Account;
  let teamId = 0;
  let fullToken = '';
  let submitOnly = '';
  let readOnly = '';
  let otherTeamToken = '';
  /** operationId → statuses seen. */
  const called = new Map<string, number[]>();

  /** Calls an operation of the document and checks the answer's status is one the document lists for it. */
  async function call(operationId: string, method: string, pathname: string, init: { token?: string; json?: unknown; body?: BodyInit; headers?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { ...init.headers };
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    if (init.json !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(new URL(pathname, baseUrl), { method, headers, body: init.json !== undefined ? JSON.stringify(init.json) : init.body });
    const text = await res.text();
    const body = text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
    const op = Object.values(doc.paths).flatMap((item) => Object.entries(item)).find(([, o]) => o.operationId === operationId);
    expect(op, `operation ${operationId} is in the document`).toBeTruthy();
    expect(op![0].toUpperCase()).toBe(method);
    expect(Object.keys(op![1].responses), `${operationId} answered ${res.status}: ${text.slice(0, 300)}`).toContain(String(res.status));
    called.set(operationId, [...(called.get(operationId) ?? []), res.status]);
    if (res.status >= 400) {
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
      expect(typeof body.error?.code).toBe('string');
      expect(body.error.message.length).toBeGreaterThan(10);
    }
    return { status: res.status, body };
  }

  beforeAll(async () => {
    if (!servicesUp) return;
    const database = await createTestDatabase();
    dropDb = database.drop;
    endpoint = await startFakeEndpoint(() => ({ content: 'Answer: A' }));
    const started = await startPlatform({ databaseUrl: database.url, extraEnv: { ONNX_UPLOAD_MAX_BYTES: String(8 * 1024 * 1024) } });
    platform = { baseUrl: started.baseUrl, proc: started.proc };
    baseUrl = started.baseUrl;
    sql = postgres(database.url, { max: 1, onnotice: () => {} });
    doc = (await (await fetch(new URL('/api/v1/openapi.json', baseUrl))).json()) as Doc;
    owner = await verifiedAccount(platform);
    teamId = await createTeam(baseUrl, owner, 'Api Lab');
    fullToken = await createApiToken(baseUrl, owner, teamId, 'ci-full', ['submit', 'read']);
    submitOnly = await createApiToken(baseUrl, owner, teamId, 'ci-submit', ['submit']);
    readOnly = await createApiToken(baseUrl, owner, teamId, 'ci-read', ['read']);
    rival = await verifiedAccount(platform);
    const rivalTeam = await createTeam(baseUrl, rival, 'Rival Lab');
    otherTeamToken = await createApiToken(baseUrl, rival, rivalTeam, 'rival', ['submit', 'read']);
  }, 120_000);
  afterAll(async () => {
    await sql?.end();
    await platform?.proc.stop();
    await endpoint?.close();
    await dropDb?.();
  });

  it.runIf(servicesUp)('serves an OpenAPI 3 document that a validator accepts', async () => {
    const res = await call('getOpenApi', 'GET', '/api/v1/openapi.json');
    expect(res.status).toBe(200);
    const verdict = await new Validator().validate(res.body);
    expect(verdict.errors ?? []).toEqual([]);
    expect(verdict.valid).toBe(true);
    expect(res.body.openapi).toMatch(/^3\./);
  });

  it.runIf(servicesUp)('public reads: releases, every board view, a JSON 404 naming what is missing', async () => {
    const releases = await call('listReleases', 'GET', '/api/v1/releases');
    expect(releases.status).toBe(200);
    expect(releases.body.releases.map((r: { slug: string }) => r.slug)).toContain(DEMO_RELEASE);
    for (const view of ['overview', 'levels', 'modality', 'reports']) {
      const board = await call('getBoard', 'GET', `/api/v1/releases/${encodeURIComponent(DEMO_RELEASE)}/board?view=${view}`);
      expect(board.status).toBe(200);
      expect(board.body.view).toBe(view);
      expect(board.body.release.slug).toBe(DEMO_RELEASE);
      expect(board.body.columns.length).toBeGreaterThan(0);
    }
    const missing = await call('getBoard', 'GET', '/api/v1/releases/no-such-release@9/board');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: 'not_found' });
    expect(missing.body.error.message).toContain('no-such-release@9');
    const badView = await call('getBoard', 'GET', `/api/v1/releases/${encodeURIComponent(DEMO_RELEASE)}/board?view=ranking`);
    expect(badView.status).toBe(400);
    expect(badView.body.error).toMatchObject({ code: 'invalid_field', field: 'view' });
    const badFilter = await call('getBoard', 'GET', `/api/v1/releases/${encodeURIComponent(DEMO_RELEASE)}/board?filter=colour:red`);
    expect(badFilter.body.error).toMatchObject({ code: 'invalid_field', field: 'filter' });
    const noRun = await call('getRun', 'GET', '/api/v1/runs/987654');
    expect(noRun.status).toBe(404);
    expect(noRun.body.error.code).toBe('not_found');
  });

  it.runIf(servicesUp)('tokens: none, wrong scope, another team, revoked — refused with 401/403 JSON and nothing created', async () => {
    const body = { modelName: 'scoped-model', endpointUrl: `${endpoint!.url}/v1`, endpointModel: 'm', release: DEMO_RELEASE, split: 'dev' };
    const none = await call('submitEndpoint', 'POST', '/api/v1/submissions', { json: body });
    expect(none.status).toBe(401);
    expect(none.body.error.message).toMatch(/Bearer/);
    const garbage = await call('submitEndpoint', 'POST', '/api/v1/submissions', { json: body, token: 'sbh_not-a-real-token' });
    expect(garbage.status).toBe(401);
    const readScope = await call('submitEndpoint', 'POST', '/api/v1/submissions', { json: body, token: readOnly });
    expect(readScope.status).toBe(403);
    expect(readScope.body.error.message).toContain('"submit" scope');
    const submitScope = await call('listTeamRuns', 'GET', '/api/v1/team/runs', { token: submitOnly });
    expect(submitScope.status).toBe(403);

    // Revoked by the owner on the team page: refused from then on, and the audit log has both events.
    const page = await getAs(baseUrl, `/teams/${teamId}`, owner.cookie);
    const revokeId = tokenIdOnPage(page.text, 'ci-read');
    // Someone outside the team cannot revoke (or create) this team's tokens.
    expect((await postTeamForm(baseUrl, teamId, [['intent', 'revoke-token'], ['tokenId', String(revokeId)]], rival.cookie)).status).toBe(403);
    expect((await postTeamForm(baseUrl, teamId, [['intent', 'create-token'], ['tokenName', 'x'], ['scopes', 'read']], rival.cookie)).status).toBe(403);
    expect((await call('listTeamRuns', 'GET', '/api/v1/team/runs', { token: readOnly })).status).toBe(200);
    expect((await postTeamForm(baseUrl, teamId, [['intent', 'revoke-token'], ['tokenId', String(revokeId)]], owner.cookie)).status).toBe(200);
    const revoked = await call('listTeamRuns', 'GET', '/api/v1/team/runs', { token: readOnly });
    expect(revoked.status).toBe(401);
    expect(revoked.body.error.message).toMatch(/revoked/);
    const audit = await sql!`select action, subject from audit_log where subject = ${`token:${revokeId}`} order by id`;
    expect(audit.map((a) => a.action)).toEqual(['token.create', 'token.revoke']);
    const [{ n }] = await sql!`select count(*)::int as n from models where name = 'scoped-model'`;
    expect(n).toBe(0);
    // Tokens are stored as SHA-256 digests, never as given.
    const stored = await sql!`select token_hash from api_tokens where team_id = ${teamId}`;
    expect(stored.every((r) => /^[0-9a-f]{64}$/.test(r.token_hash))).toBe(true);
    expect(stored.map((r) => r.token_hash)).not.toContain(fullToken);
  });

  it.runIf(servicesUp)('submits an endpoint for the token’s team; the run is readable; field errors name the field', async () => {
    const bad = await call('submitEndpoint', 'POST', '/api/v1/submissions', {
      token: fullToken,
      json: { modelName: 'api-model', endpointUrl: 'example.org/v1', endpointModel: 'm', release: DEMO_RELEASE, split: 'dev' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'invalid_field', field: 'endpointUrl' });
    const notJson = await fetch(new URL('/api/v1/submissions', baseUrl), { method: 'POST', headers: { authorization: `Bearer ${fullToken}`, 'content-type': 'application/json' }, body: '{oops' });
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).error.code).toBe('bad_request');

    const ok = await call('submitEndpoint', 'POST', '/api/v1/submissions', {
      token: fullToken,
      json: { teamName: 'Rival Lab', modelName: 'api-model', endpointUrl: `${endpoint!.url}/v1`, endpointModel: 'm', release: DEMO_RELEASE, split: 'dev' },
    });
    expect(ok.status).toBe(201);
    expect(ok.body.statusUrl).toBe(`/api/v1/runs/${ok.body.runId}`);
    const run = await waitFor('the API run to end', async () => {
      const r = await call('getRun', 'GET', `/api/v1/runs/${ok.body.runId}`);
      return r.body.status === 'succeeded' || r.body.status === 'failed' ? r.body : null;
    }, 90_000);
    expect(run.status).toBe('succeeded');
    // The team is the token's, whatever the body says.
    expect(run.teamName).toBe('Api Lab');
    expect(run.split).toBe('dev');
    const runs = await call('listTeamRuns', 'GET', '/api/v1/team/runs', { token: fullToken });
    expect(runs.status).toBe(200);
    expect(runs.body.team.name).toBe('Api Lab');
    expect(runs.body.runs.map((r: { runId: number }) => r.runId)).toContain(ok.body.runId);
    const rivalRuns = await call('listTeamRuns', 'GET', '/api/v1/team/runs', { token: otherTeamToken });
    expect(rivalRuns.body.runs.map((r: { runId: number }) => r.runId)).not.toContain(ok.body.runId);
    // Last use is shown on the team page.
    const page = await getAs(baseUrl, `/teams/${teamId}`, owner.cookie);
    expect(page.text).toMatch(/<td>ci-full<\/td><td>read, submit<\/td><td>[^<]+<\/td><td data-testid="token-last-used">\d{4}-/);
  }, 120_000);

  it.runIf(servicesUp)('uploads an ONNX bundle in chunks with a submit token; other teams cannot see or finish it', async () => {
    const archive = tarGzBuffer(await folderEntries(path.resolve('tests/fixtures/tiny-vlm'), 'tiny-vlm'));
    const started = await call('startUpload', 'POST', '/api/v1/uploads', { token: submitOnly, json: { totalBytes: archive.length } });
    expect(started.status).toBe(201);
    const id = started.body.id as string;
    const half = Math.floor(archive.length / 2);
    const first = await call('sendChunk', 'PUT', `/api/v1/uploads/${id}`, {
      token: submitOnly,
      body: archive.subarray(0, half),
      headers: { 'content-range': `bytes 0-${half - 1}/${archive.length}`, 'content-type': 'application/octet-stream' },
    });
    expect(first.body.offset).toBe(half);
    const wrongStart = await call('sendChunk', 'PUT', `/api/v1/uploads/${id}`, {
      token: submitOnly,
      body: archive.subarray(0, 10),
      headers: { 'content-range': `bytes 0-9/${archive.length}`, 'content-type': 'application/octet-stream' },
    });
    expect(wrongStart.status).toBe(409);
    expect(wrongStart.body.error.offset).toBe(half);
    expect((await call('getUpload', 'GET', `/api/v1/uploads/${id}`, { token: otherTeamToken })).status).toBe(404);
    const early = await call('completeUpload', 'POST', `/api/v1/uploads/${id}/complete`, { token: submitOnly, json: { modelName: 'tiny-api', release: DEMO_RELEASE, split: 'dev' } });
    expect(early.status).toBe(409);
    await call('sendChunk', 'PUT', `/api/v1/uploads/${id}?offset=${half}`, { token: submitOnly, body: archive.subarray(half), headers: { 'content-type': 'application/octet-stream' } });
    const state = await call('getUpload', 'GET', `/api/v1/uploads/${id}`, { token: submitOnly });
    expect(state.body).toMatchObject({ id, offset: archive.length, totalBytes: archive.length });
    expect((await call('completeUpload', 'POST', `/api/v1/uploads/${id}/complete`, { token: otherTeamToken, json: { modelName: 'stolen', release: DEMO_RELEASE, split: 'dev' } })).status).toBe(404);
    const badField = await call('completeUpload', 'POST', `/api/v1/uploads/${id}/complete`, { token: submitOnly, json: { modelName: 'tiny-api', release: 'nope@0', split: 'dev' } });
    expect(badField.status).toBe(400);
    expect(badField.body.error.field).toBe('release');
    const done = await call('completeUpload', 'POST', `/api/v1/uploads/${id}/complete`, { token: submitOnly, json: { modelName: 'tiny-api', release: DEMO_RELEASE, split: 'dev' } });
    expect(done.status).toBe(201);
    expect((await call('getRun', 'GET', `/api/v1/runs/${done.body.runId}`)).body).toMatchObject({ modelName: 'tiny-api', teamName: 'Api Lab' });

    const undeclared = await call('startUpload', 'POST', '/api/v1/uploads', { token: submitOnly, json: {} });
    expect(undeclared.status).toBe(400);
    expect(undeclared.body.error.field).toBe('totalBytes');
    const abandoned = await call('startUpload', 'POST', '/api/v1/uploads', { token: submitOnly, json: { totalBytes: 1000 } });
    // A team's unfinished uploads have a share of the disk and a count: the rest waits.
    const greedy = await call('startUpload', 'POST', '/api/v1/uploads', { token: submitOnly, json: { totalBytes: 8 * 1024 * 1024 } });
    expect(greedy.status).toBe(201);
    expect((await call('startUpload', 'POST', '/api/v1/uploads', { token: submitOnly, json: { totalBytes: 8 * 1024 * 1024 } })).status).toBe(413);
    expect((await call('startUpload', 'POST', '/api/v1/uploads', { token: submitOnly, json: { totalBytes: 10 } })).status).toBe(201);
    expect((await call('startUpload', 'POST', '/api/v1/uploads', { token: submitOnly, json: { totalBytes: 10 } })).status).toBe(429);
    // Another team's share is its own.
    expect((await call('startUpload', 'POST', '/api/v1/uploads', { token: otherTeamToken, json: { totalBytes: 8 * 1024 * 1024 } })).status).toBe(201);
    expect((await call('abandonUpload', 'DELETE', `/api/v1/uploads/${abandoned.body.id}`, { token: otherTeamToken })).status).toBe(404);
    expect((await call('abandonUpload', 'DELETE', `/api/v1/uploads/${abandoned.body.id}`, { token: submitOnly })).status).toBe(204);
    expect((await call('getUpload', 'GET', `/api/v1/uploads/${abandoned.body.id}`, { token: submitOnly })).status).toBe(404);
  }, 120_000);

  it.runIf(servicesUp)('unknown calls and wrong methods answer JSON; the docs page lists every operation', async () => {
    const unknown = await fetch(new URL('/api/v1/nothing-here', baseUrl));
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error.message).toContain('/api/v1/nothing-here');
    const wrong = await fetch(new URL('/api/v1/releases', baseUrl), { method: 'DELETE' });
    expect(wrong.status).toBe(405);
    expect((await wrong.json()).error.code).toBe('method_not_allowed');
    const docs = await getAs(baseUrl, '/api/docs');
    expect(docs.status).toBe(200);
    for (const ops of Object.values(doc.paths)) for (const op of Object.values(ops)) expect(docs.text).toContain(`id="${op.operationId}"`);
    expect(docs.res.headers.get('content-security-policy')).toMatch(/script-src/);
    expect(docs.text).not.toMatch(/<script[^>]+src="https?:/);
  });

  it.runIf(servicesUp)('every operation in the document was called', () => {
    const listed = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((o) => o.operationId)).sort();
    expect([...called.keys()].sort()).toEqual(listed);
  });
});
