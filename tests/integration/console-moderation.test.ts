import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_RELEASE } from '../support/demo-oracle';
import { maintainerEnv, newMaintainerEmail, request, signInAsMaintainer, signInAsMember } from '../support/maintainer-session';
import { getJson, waitFor } from '../support/platform-client';
import { startPlatform, type RunningProcess } from '../support/processes';

interface BoardRow {
  runId: number;
  modelName: string;
  rank: number;
  moderation: { verified: boolean; flagReason: string | null };
}
interface Board {
  rows: BoardRow[];
  hiddenRuns: number;
}

const textOf = (html: string) => html.replace(/<script[\s\S]*?<\/script>/g, ' ').replace(/<[^>]+>/g, ' ').replace(/&#x27;|&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/\s+/g, ' ');

/** The console's pages and APIs; none of them may answer a visitor who is not a maintainer. */
const CONSOLE_PAGES = ['/maintainer', '/maintainer/moderation', '/maintainer/audit', '/maintainer/releases'];
const CONSOLE_DOWNLOADS = ['/maintainer/audit/export?format=csv', '/maintainer/audit/export?format=json'];

describe('maintainer console: moderation and the audit log (embedded platform)', () => {
  let baseUrl = '';
  let platform: RunningProcess | undefined;
  let cookie = '';
  let member = '';
  const maintainerEmail = newMaintainerEmail();
  const board = () => getJson<Board>(baseUrl, `/api/leaderboard/${encodeURIComponent(DEMO_RELEASE)}`);
  const row = async (model: string) => (await board()).rows.find((r) => r.modelName === model);
  const moderate = (runId: number, action: string, reason = '', as = cookie) =>
    request(baseUrl, '/maintainer/moderation', { cookie: as || undefined, form: { runId: String(runId), action, reason } });

  beforeAll(async () => {
    const started = await startPlatform({ extraEnv: maintainerEnv(maintainerEmail) });
    baseUrl = started.baseUrl;
    platform = started.proc;
    await waitFor('both baselines on the board', async () => (await board()).rows.length === 2, 120_000);
    cookie = await signInAsMaintainer({ baseUrl, proc: started.proc }, maintainerEmail);
    member = await signInAsMember({ baseUrl, proc: started.proc });
  });
  afterAll(async () => platform?.stop());

  it('a visitor or a signed-in team member who is not a maintainer reaches none of the console: pages, exports, actions', async () => {
    for (const path of CONSOLE_PAGES) {
      const res = await request(baseUrl, path);
      expect(res.status, path).toBe(302);
      expect(res.location, path).toMatch(/^\/signin\?next=/);
      const asMember = await request(baseUrl, path, { cookie: member });
      expect(asMember.status, path).toBe(403);
      expect(textOf(asMember.text), path).toContain('not a platform maintainer');
    }
    for (const path of CONSOLE_DOWNLOADS) {
      expect((await request(baseUrl, path)).status, path).toBe(403);
      expect((await request(baseUrl, path, { cookie: member })).status, path).toBe(403);
    }
    const runId = (await row('baseline-random'))!.runId;
    expect((await moderate(runId, 'hide', 'not allowed', '')).status).toBe(403);
    expect((await moderate(runId, 'hide', 'not allowed', member)).status).toBe(403);
    expect(await row('baseline-random')).toBeDefined();
    // A forged session cookie is no better than none.
    const bogus = await request(baseUrl, '/maintainer/audit', { cookie: 'sbh_session=forged0000000000000000000000' });
    expect(bogus.status).toBe(302);
  });

  it('verify and flag show on the public board; hide removes the row (counted, not deleted); restore brings it back; all audited', async () => {
    const alwaysA = (await row('baseline-always-a'))!;
    const random = (await row('baseline-random'))!;

    expect((await moderate(alwaysA.runId, 'verify')).status).toBe(200);
    const flag = await moderate(random.runId, 'flag', 'Answers at random: a reference, not a model');
    expect(flag.status).toBe(200);
    expect((await row('baseline-always-a'))!.moderation).toEqual({ verified: true, flagReason: null });
    expect((await row('baseline-random'))!.moderation).toEqual({ verified: false, flagReason: 'Answers at random: a reference, not a model' });
    const page = textOf((await request(baseUrl, `/leaderboard/${encodeURIComponent(DEMO_RELEASE)}`)).text);
    expect(page).toContain('verified');
    expect(page).toContain('Answers at random: a reference, not a model');

    // A reason is required to hide; the error names the field and nothing changes.
    const noReason = await moderate(random.runId, 'hide', '   ');
    expect(noReason.status).toBe(400);
    expect(textOf(noReason.text)).toContain('Reason: A reason is required to hide a run.');
    expect((await board()).rows).toHaveLength(2);

    expect((await moderate(random.runId, 'hide', 'Duplicate submission')).status).toBe(200);
    const hidden = await board();
    expect(hidden.rows.map((r) => r.modelName)).toEqual(['baseline-always-a']);
    expect(hidden.hiddenRuns).toBe(1);
    await waitFor('the board re-ranked without the hidden run', async () => (await row('baseline-always-a'))!.rank === 1);
    expect(textOf((await request(baseUrl, `/leaderboard/${encodeURIComponent(DEMO_RELEASE)}`)).text)).toContain('1 run is hidden from this board by the maintainers');
    // The run itself stays on record.
    expect((await getJson<{ status: string }>(baseUrl, `/api/runs/${random.runId}`)).status).toBe('succeeded');
    expect(textOf((await request(baseUrl, '/maintainer/moderation', { cookie })).text)).toContain('hidden: Duplicate submission');

    expect((await moderate(random.runId, 'restore', 'Not a duplicate after all')).status).toBe(200);
    const restored = await board();
    expect(restored.rows).toHaveLength(2);
    expect(restored.hiddenRuns).toBe(0);
    expect(restored.rows.find((r) => r.modelName === 'baseline-random')!.moderation.flagReason).toBeNull();

    const audit = textOf((await request(baseUrl, '/maintainer/audit?subject=run%3A', { cookie })).text);
    for (const expected of ['run.verify', 'run.flag', 'run.hide', 'run.restore', 'Duplicate submission', 'Not a duplicate after all', `maintainer:${maintainerEmail}`]) {
      expect(audit).toContain(expected);
    }
    // The refused hide left no trace.
    expect(audit.match(/run\.hide/g)?.length).toBe(2); // the filter's option + one entry

    const onlyHide = await request(baseUrl, '/maintainer/audit/export?format=json&action=run.hide', { cookie });
    expect(onlyHide.status).toBe(200);
    const entries = JSON.parse(onlyHide.text) as Array<{ action: string; subject: string; reason: string }>;
    expect(entries).toEqual([expect.objectContaining({ action: 'run.hide', subject: `run:${random.runId}`, reason: 'Duplicate submission' })]);
    const csv = await request(baseUrl, '/maintainer/audit/export?format=csv', { cookie });
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect(csv.text.split('\r\n').filter(Boolean).length).toBeGreaterThanOrEqual(5);
  });

  it('the audit page names a bad filter field', async () => {
    const res = await request(baseUrl, '/maintainer/audit?since=last-week', { cookie });
    expect(textOf(res.text)).toContain('From: "last-week" is not a date (YYYY-MM-DD).');
  });
});
