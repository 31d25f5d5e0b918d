import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportItem } from '../../benchmark/item-schema';
import { REPORT_DIMENSIONS } from '../../evaluator/scoring/report-rubric';
import { uniqueEmail, verifiedAccount } from '../support/accounts';
import { DEMO_RELEASE, demoItems } from '../support/demo-oracle';
import { startFakeEndpoint, type FakeEndpoint } from '../support/fake-chat-endpoint';
import { maintainerEnv, signInAsMember } from '../support/maintainer-session';
import { waitFor } from '../support/platform-client';
import { startPlatform, type RunningProcess } from '../support/processes';

/**
 * Judge calibration end to end on the real platform (embedded database): the demo's synthetic set is calibrated at
 * start, a maintainer's upload is judged by the configured judge (a fake on loopback) and its agreement appears on
 * the reports board; bad files write nothing, members are refused.
 */

const JUDGE_MODEL = 'calib-judge';
/** The judge rates every dimension N when the candidate report carries "[grade N]", else 3. */
function judgeAnswer(text: string): string {
  const grade = Number(/\[grade (\d)\]/.exec(text)?.[1] ?? 3);
  return JSON.stringify(Object.fromEntries(REPORT_DIMENSIONS.map((d) => [d, { score: grade, rationale: `rated ${d}` }])));
}

const reportItems = demoItems.filter((i): i is ReportItem => i.task === 'report' && i.split === 'dev');
const all = (v: number) => Object.fromEntries(REPORT_DIMENSIONS.map((d) => [d, v]));
const line = (o: Record<string, unknown>) => JSON.stringify(o);

describe('judge calibration against clinicians (embedded platform)', () => {
  let judge: FakeEndpoint;
  let proc: RunningProcess | undefined;
  let baseUrl = '';
  let maintainer = '';
  let member = '';
  const maintainerEmail = uniqueEmail('maintainer');
  const board = () => `/leaderboard/${encodeURIComponent(DEMO_RELEASE)}/reports`;

  beforeAll(async () => {
    judge = await startFakeEndpoint((model, text) => (model === JUDGE_MODEL ? { content: judgeAnswer(text) } : { content: 'no' }));
    const started = await startPlatform({
      extraEnv: { JUDGE_URL: judge.url, JUDGE_MODEL, JUDGE_MODEL_VERSION: '2026-02', ...maintainerEnv(maintainerEmail) },
    });
    proc = started.proc;
    baseUrl = started.baseUrl;
    maintainer = (await verifiedAccount(started, maintainerEmail)).cookie;
    member = await signInAsMember(started);
  }, 240_000);
  afterAll(async () => {
    await proc?.stop();
    await judge?.close();
  });

  const get = async (path: string, cookie?: string) => {
    const res = await fetch(new URL(path, baseUrl), { headers: cookie ? { cookie } : {}, redirect: 'manual' });
    return { status: res.status, text: await res.text() };
  };
  const upload = async (text: string, cookie: string) => {
    const page = await get('/maintainer/calibration', maintainer);
    const releaseId = /<option value="(\d+)"[^>]*>spinebench-synth/i.exec(page.text)?.[1] ?? /<option value="(\d+)"/.exec(page.text)?.[1];
    const form = new FormData();
    form.append('releaseId', String(releaseId));
    form.append('ratings', new Blob([text], { type: 'application/jsonl' }), 'ratings.jsonl');
    const res = await fetch(new URL('/maintainer/calibration', baseUrl), { method: 'POST', body: form, headers: { cookie, origin: new URL(baseUrl).origin }, redirect: 'manual' });
    return { status: res.status, text: await res.text() };
  };
  const tableRow = (html: string, dimension: string) => new RegExp(`data-dimension="${dimension}"[\\s\\S]*?</tr>`).exec(html)?.[0] ?? '';

  it('shows the demo\'s synthetic ratings beside the judge, clearly labelled', async () => {
    let html = '';
    await waitFor('the synthetic calibration on the reports board', async () => {
      html = (await get(board())).text;
      return html.includes('data-testid="calibration-synthetic"') && html.includes(JUDGE_MODEL);
    }, 180_000);
    expect(html).toContain('SYNTHETIC');
    expect(html).toMatch(/Agreement of <!-- -->calib-judge<!-- --> with clinicians|Agreement of calib-judge with clinicians/);
    expect(html).toContain('12<!-- --> of <!-- -->12');
  }, 200_000);

  it('refuses members (403) and signed-out posts', async () => {
    const body = line({ item_id: reportItems[0].id, report: 'x', ratings: all(3) });
    expect((await upload(body, member)).status).toBe(403);
    expect((await upload(body, '')).status).toBe(403);
    expect((await get('/maintainer/calibration', member)).status).toBe(403);
    const signedOut = await fetch(new URL('/maintainer/calibration', baseUrl), { redirect: 'manual' });
    expect(signedOut.status).toBe(302);
    expect(signedOut.headers.get('location')).toMatch(/^\/signin\?next=%2Fmaintainer%2Fcalibration/);
  });

  it('names the line and field of bad input and writes nothing', async () => {
    const before = judge.requests.length;
    const bad = [
      line({ item_id: reportItems[0].id, report: 'fine [grade 2]', ratings: all(2) }),
      line({ item_id: reportItems[1].id, report: 'fine', ratings: { ...all(3), diagnosis: 7 } }),
      line({ item_id: 'no-such-item', report: 'fine', ratings: all(3) }),
      '{not json',
    ].join('\n');
    const res = await upload(bad, maintainer);
    expect(res.status).toBe(422);
    expect(res.text).toContain('Nothing was written');
    expect(res.text).toMatch(/<td class="num">2<\/td><td><code>ratings\.diagnosis<\/code><\/td><td>must be an integer from 1 to 5, got 7/);
    expect(res.text).toMatch(/<td class="num">3<\/td><td><code>item_id<\/code><\/td>/);
    expect(res.text).toMatch(/<td class="num">4<\/td><td><\/td><td>not valid JSON/);
    expect(judge.requests.length).toBe(before);
    const page = await get('/maintainer/calibration', maintainer);
    expect(page.text.match(/data-testid="calibration-row"/g)?.length).toBe(1);
  });

  it('asks the configured judge, stores the agreement and shows it on the reports board, audited', async () => {
    const before = judge.requests.length;
    // Judge grades 1, 2, 3; the clinicians agree except on diagnosis for the third (4): κ = 6/7, ρ = 1 there.
    const good = [1, 2, 3]
      .map((g, i) => line({ item_id: reportItems[i].id, report: `Candidate report [grade ${g}] secret-text-${i}`, ratings: { ...all(g), diagnosis: g === 3 ? 4 : g }, rater: 'Dr A' }))
      .join('\n');
    const res = await upload(good, maintainer);
    expect(res.status).toBe(200);
    expect(res.text).toContain('the judge rated 3 of 3 reports');
    expect(judge.requests.length - before).toBe(3);
    expect(judge.requests.slice(before).every((r) => r.model === JUDGE_MODEL && r.body.temperature === 0)).toBe(true);

    const html = (await get(board())).text;
    expect(html).not.toContain('data-testid="calibration-synthetic"');
    expect(html).toContain('3<!-- --> of <!-- -->3');
    expect(tableRow(html, 'diagnosis')).toMatch(/data-testid="spearman">1\.00 \[/);
    expect(tableRow(html, 'diagnosis')).toMatch(/data-testid="kappa">0\.86 \[/);
    expect(tableRow(html, 'imaging_report')).toContain('data-testid="kappa">1.00 [1.00, 1.00]');
    // Aggregates only: no report text and no item id reaches the page.
    expect(html).not.toContain('secret-text-');
    for (const item of reportItems.slice(0, 3)) expect(html).not.toContain(item.id);

    const audit = await get('/maintainer/audit?action=judge.calibrate', maintainer);
    expect(audit.status).toBe(200);
    expect(audit.text).toContain(`maintainer:${maintainerEmail}`);
    expect(audit.text).toContain('&quot;judged&quot;:3');
  });
});
