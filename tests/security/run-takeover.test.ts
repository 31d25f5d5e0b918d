/**
 * A run's endpoint, model id and token are fixed when it is submitted: a second submission under the same
 * team and model names while the first run is going must not redirect any of the first run's requests
 * (issue 16 item 2: 524 of 574 hidden requests once went to the second endpoint). And the names are no longer
 * free text: an account outside the team cannot submit for it at all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_RELEASE } from '../support/demo-oracle';
import { startFakeEndpoint, type FakeEndpoint } from '../support/fake-chat-endpoint';
import { getJson, postSubmitForm, submitEndpointRun, waitFor, waitForRunEnd, type RunJson } from '../support/platform-client';
import { startPlatform, type RunningProcess } from '../support/processes';
import { teamMember } from '../support/accounts';

describe('mid-run takeover (embedded platform)', () => {
  let baseUrl = '';
  let platform: RunningProcess | undefined;
  let victimTeam: { cookie: string; teamId: number };
  let outsider: { cookie: string; teamId: number };
  let first: FakeEndpoint;
  let second: FakeEndpoint;
  let secondSubmitted = false;

  beforeAll(async () => {
    // The first endpoint answers slowly until the second submission is in, so the first run is surely mid-flight.
    first = await startFakeEndpoint(() => ({ content: 'A', delayMs: secondSubmitted ? 0 : 1_000 }));
    second = await startFakeEndpoint(() => ({ content: 'B' }));
    const started = await startPlatform({ extraEnv: { SHARD_SIZE: '4', ITEM_CONCURRENCY: '1', SHARD_BACKOFF_MS: '200' } });
    baseUrl = started.baseUrl;
    platform = started.proc;
    victimTeam = await teamMember(started, 'Victim Lab');
    outsider = await teamMember(started, 'Attacker Lab');
  });

  afterAll(async () => {
    await platform?.stop();
    await first?.close();
    await second?.close();
  });

  it('every request of the first run reaches the first endpoint with the first token', async () => {
    const names = { modelName: 'spine-vlm', release: DEMO_RELEASE, split: 'test' as const };
    const victimRun = await submitEndpointRun(baseUrl, victimTeam, { ...names, endpointUrl: first.url, endpointModel: 'victim-model', endpointToken: 'victim-token' });
    await waitFor('the first run to call its endpoint', async () => first.requests.length > 0);
    const midFlight = await getJson<RunJson>(baseUrl, `/api/runs/${victimRun}`);
    // Another account names the victim's team: refused, nothing created.
    const foreign = await postSubmitForm(baseUrl, { cookie: outsider.cookie, teamId: victimTeam.teamId }, { ...names, endpointUrl: second.url, endpointModel: 'attacker-model' });
    expect(foreign.status).toBe(403);
    expect(foreign.text).toContain('not a member of this team');
    // A member of the team re-registers the model mid-run: the running run keeps what it was submitted with.
    const takeoverRun = await submitEndpointRun(baseUrl, victimTeam, { ...names, endpointUrl: second.url, endpointModel: 'attacker-model', endpointToken: 'attacker-token' });
    secondSubmitted = true;

    const [victim, takeover] = [await waitForRunEnd(baseUrl, victimRun, 180_000), await waitForRunEnd(baseUrl, takeoverRun, 180_000)];
    expect(midFlight.status).not.toMatch(/succeeded|failed/);
    expect(midFlight.doneItems).toBeLessThan(midFlight.totalItems);
    expect(victim.status).toBe('succeeded');
    expect(takeover.status).toBe('succeeded');

    const seen = (e: FakeEndpoint) => new Set(e.requests.map((r) => `${r.model} ${r.authorization}`));
    expect(seen(first)).toEqual(new Set(['victim-model Bearer victim-token']));
    expect(seen(second)).toEqual(new Set(['attacker-model Bearer attacker-token']));
    // Nothing answered with an error, so each item was asked exactly once, at the endpoint of its own run.
    expect(first.requests.length).toBe(victim.totalItems);
    expect(second.requests.length).toBe(takeover.totalItems);
  });
});
