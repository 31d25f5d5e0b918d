/**
 * Issue 16 item 1: the one-item probe. An endpoint answers one letter for one hidden question and "no idea"
 * everywhere else; four runs (A, B, C, D) used to reveal that question's key through the run's score. With
 * submissions bound to a team and the Ladder (evaluator/scoring/ladder.ts), the four runs look the same from
 * every public surface — run JSON, run page, team page, board — so the probe learns nothing; a real
 * improvement still reaches the board.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAs, teamMember } from '../support/accounts';
import { DEMO_RELEASE, demoTestMcqItems } from '../support/demo-oracle';
import { startFakeEndpoint, type FakeEndpoint } from '../support/fake-chat-endpoint';
import { getJson, submitEndpointRun, waitForRunEnd, type TeamMember } from '../support/platform-client';
import { startPlatform, type RunningProcess } from '../support/processes';

const target = demoTestMcqItems[0];
const LETTERS = ['A', 'B', 'C', 'D'] as const;

describe('the one-item probe learns nothing (embedded platform, default Ladder)', () => {
  let baseUrl = '';
  let platform: RunningProcess | undefined;
  let endpoint: FakeEndpoint;
  let team: TeamMember;

  beforeAll(async () => {
    endpoint = await startFakeEndpoint((model, text) => {
      if (model === 'key') return { content: `Answer: ${demoTestMcqItems.find((i) => text.includes(i.question))?.answer ?? 'no idea'}` };
      const letter = /^probe-([A-D])$/.exec(model)?.[1];
      return { content: letter && text.includes(target.question) ? `Answer: ${letter}` : 'no idea' };
    });
    const started = await startPlatform({ extraEnv: { DAILY_TEST_RUNS: '10', SHARD_SIZE: '20' } });
    baseUrl = started.baseUrl;
    platform = started.proc;
    team = await teamMember(started, 'Probe Lab');
  });
  afterAll(async () => {
    await platform?.stop();
    await endpoint?.close();
  });

  const submit = async (endpointModel: string) => {
    const runId = await submitEndpointRun(baseUrl, team, { modelName: 'probe', endpointUrl: endpoint.url, endpointModel, release: DEMO_RELEASE, split: 'test' });
    expect((await waitForRunEnd(baseUrl, runId, 120_000)).status).toBe('succeeded');
    return runId;
  };
  const teamRows = async () =>
    (await getJson(baseUrl, `/api/leaderboard/${encodeURIComponent(DEMO_RELEASE)}`)).rows.filter((r: { teamName: string }) => r.teamName === 'Probe Lab');

  it('four probe runs, one per letter, are indistinguishable; a run that knows the key is released', async () => {
    const blank = await submit('blank');
    const boardAfterBlank = await teamRows();
    expect(boardAfterBlank.map((r: { runId: number }) => r.runId)).toEqual([blank]);

    const observations: string[] = [];
    for (const letter of LETTERS) {
      const runId = await submit(`probe-${letter}`);
      const run = await getJson(baseUrl, `/api/runs/${runId}`);
      expect(run).toMatchObject({ status: 'succeeded', score: null, breakdown: null, views: null, withheldByLadder: true });
      const page = (await getAs(baseUrl, `/runs/${runId}`)).text;
      expect(page).toContain('data-testid="ladder-withheld"');
      expect(page).not.toContain('data-testid="run-score"');
      const teamPage = (await getAs(baseUrl, `/teams/${team.teamId}`, team.cookie)).text;
      const listed = new RegExp(`data-testid="team-run-${runId}">.*?<td class="num">([^<]*)</td>`).exec(teamPage)?.[1];
      expect(listed).toBe('—');
      // What the probe can see, with the run's own id taken out: the same for every letter.
      const { id: _id, createdAt: _c, finishedAt: _f, ...seen } = run;
      observations.push(JSON.stringify({ seen, board: await teamRows() }));
    }
    expect(new Set(observations).size).toBe(1);
    expect(endpoint.requests.some((r) => r.model === `probe-${target.answer}`)).toBe(true);

    // A real improvement (every MCQ right) beats the best by far more than its noise: released, on the board.
    const strong = await submit('key');
    const released = await getJson(baseUrl, `/api/runs/${strong}`);
    expect(released.withheldByLadder).toBe(false);
    expect(released.score).toBeGreaterThan(0);
    expect((await teamRows()).map((r: { runId: number }) => r.runId)).toEqual([strong]);
  }, 600_000);
});
