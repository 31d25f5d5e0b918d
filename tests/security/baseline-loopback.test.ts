/**
 * The built-in baselines are answered inside the worker under the platform's own team; no submission can
 * take their names, inherit their badge or borrow a loopback permission (issue 16 item 3: a redirect to
 * 127.0.0.1 from a submission under the baselines' names reached internal services).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_RELEASE } from '../support/demo-oracle';
import { CARD_FIELDS, getJson, postSubmitForm, waitFor, waitForRunEnd, type TeamMember } from '../support/platform-client';
import { postAs, teamMember } from '../support/accounts';
import { startPlatform, type RunningProcess } from '../support/processes';

/** Starts a server on `host` that handles every request with `handle`; counts requests. */
async function startServer(host: string, handle: (req: http.IncomingMessage, res: http.ServerResponse) => void) {
  let hits = 0;
  const server = http.createServer((req, res) => {
    hits++;
    req.resume();
    req.on('end', () => handle(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    url: `http://${host}:${(server.address() as AddressInfo).port}`,
    hits: () => hits,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

describe('baselines under a system identity (embedded platform)', () => {
  let baseUrl = '';
  let platform: RunningProcess | undefined;
  let squatters: TeamMember;
  let internal: Awaited<ReturnType<typeof startServer>>;
  let redirector: Awaited<ReturnType<typeof startServer>>;

  beforeAll(async () => {
    // An internal service on loopback, and a team endpoint (allowed on purpose) that redirects every call to it.
    internal = await startServer('127.0.0.1', (_req, res) => res.end('{"internal":"secret"}'));
    redirector = await startServer('127.0.0.2', (req, res) => {
      res.writeHead(307, { location: `${internal.url}${req.url}` });
      res.end();
    });
    const started = await startPlatform({ extraEnv: { ENDPOINT_ALLOW_LIST: '127.0.0.2', ENDPOINT_ATTEMPTS: '1', SHARD_BACKOFF_MS: '200' } });
    baseUrl = started.baseUrl;
    platform = started.proc;
    squatters = await teamMember(started, 'Baseline Squatters');
  });

  afterAll(async () => {
    await platform?.stop();
    await redirector?.close();
    await internal?.close();
  });

  const submit = (member: TeamMember, modelName: string) =>
    postSubmitForm(baseUrl, member, { ...CARD_FIELDS, modelName, endpointUrl: `${redirector.url}/v1`, endpointModel: 'always-a', release: DEMO_RELEASE, split: 'test' });

  it('no account can create or submit for the baselines\' team, and the baselines stay the platform\'s', async () => {
    const rows = await waitFor('the baseline rows', async () => {
      const board = await getJson(baseUrl, `/api/leaderboard/${encodeURIComponent(DEMO_RELEASE)}`);
      return board.rows.length >= 2 ? board.rows : null;
    });
    for (const name of ['SpineBench baselines', 'Spinebench  Baselines', 'SpineBench baseIines']) {
      const created = await postAs(baseUrl, '/teams/new', { name }, squatters.cookie);
      expect(created.status, name).toBe(409);
      expect(created.text).toContain('is taken, or too close to a team name');
    }
    // Whatever team id is posted, only the account's own team is accepted.
    for (let teamId = 1; teamId <= squatters.teamId + 1; teamId++) {
      if (teamId === squatters.teamId) continue;
      const taken = await submit({ ...squatters, teamId }, 'baseline-always-a');
      expect(taken.status, `team ${teamId}`).toBe(403);
    }
    expect(rows.map((r: any) => [r.modelName, r.isBaseline, r.runBy]).sort()).toEqual([
      ['baseline-always-a', true, 'platform'],
      ['baseline-random', true, 'platform'],
    ]);
    expect(internal.hits()).toBe(0);
  });

  it('a baseline\'s model name under another team gets no loopback: the redirect is refused', async () => {
    const res = await submit(squatters, 'baseline-always-a');
    expect(res.status, res.text.slice(0, 300)).toBe(302);
    const run = await waitForRunEnd(baseUrl, Number(/\/runs\/(\d+)/.exec(res.location ?? '')![1]));
    expect(run.status).toBe('failed');
    expect(run.errorCode).toBe('refused');
    expect(redirector.hits()).toBeGreaterThan(0);
    expect(internal.hits()).toBe(0);
    const board = await getJson(baseUrl, `/api/leaderboard/${encodeURIComponent(DEMO_RELEASE)}`);
    expect(board.rows.filter((r: any) => r.isBaseline).map((r: any) => r.teamName)).toEqual(['SpineBench baselines', 'SpineBench baselines']);
  });
});
