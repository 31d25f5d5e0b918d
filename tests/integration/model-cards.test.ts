/**
 * Model cards (issue 14): a team fills its model's card in the submission or on the model page; nobody else
 * can edit it — another team's member, a visitor, a cross-site form — and a bad field is named.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAs, postAs, teamMember } from '../support/accounts';
import { DEMO_RELEASE } from '../support/demo-oracle';
import { startFakeEndpoint, type FakeEndpoint } from '../support/fake-chat-endpoint';
import { getJson, postSubmitForm, submitEndpointRun, waitForRunEnd, type TeamMember } from '../support/platform-client';
import { startPlatform, type RunningProcess } from '../support/processes';

describe('model cards (embedded platform)', () => {
  let baseUrl = '';
  let platform: RunningProcess | undefined;
  let endpoint: FakeEndpoint;
  let owner: TeamMember;
  let outsider: TeamMember;
  let modelId = 0;

  beforeAll(async () => {
    endpoint = await startFakeEndpoint(() => ({ content: 'Answer: A' }));
    const started = await startPlatform({});
    baseUrl = started.baseUrl;
    platform = started.proc;
    owner = await teamMember(started, 'Card Lab');
    outsider = await teamMember(started, 'Other Lab');
    const runId = await submitEndpointRun(baseUrl, owner, {
      modelName: 'CardLab/spine-vlm-7b', endpointUrl: endpoint.url, endpointModel: 'm', release: DEMO_RELEASE, split: 'dev',
    });
    await waitForRunEnd(baseUrl, runId);
    modelId = (await getJson<{ modelId: number }>(baseUrl, `/api/runs/${runId}`)).modelId;
  });
  afterAll(async () => {
    await platform?.stop();
    await endpoint?.close();
  });

  const card = { parametersB: '7.6', weights: 'open', licence: 'apache-2.0', baseModel: 'Qwen/Qwen2.5-VL-7B-Instruct', paperUrl: 'https://arxiv.org/abs/2510.03160', codeUrl: '', weightsUrl: '' };

  it('the submission stored the card it was given, and the Hugging Face-style name', async () => {
    expect(modelId).toBeGreaterThan(0);
    const page = (await getAs(baseUrl, `/models/${modelId}`)).text;
    expect(page).toContain('CardLab/spine-vlm-7b');
    expect(page).toContain('7 B parameters');
    expect(page).toContain('open (apache-2.0)');
  });

  it('a member edits the card; a bad link is named and nothing changes', async () => {
    const bad = await postAs(baseUrl, `/models/${modelId}`, { ...card, paperUrl: 'javascript:alert(1)' }, owner.cookie);
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Paper link must be an https:// address.');
    const saved = await postAs(baseUrl, `/models/${modelId}`, card, owner.cookie);
    expect(saved.status).toBe(200);
    const page = (await getAs(baseUrl, `/models/${modelId}`)).text;
    expect(page).toContain('7.6 B parameters');
    expect(page).toContain('Qwen/Qwen2.5-VL-7B-Instruct');
    expect(page).toContain('href="https://arxiv.org/abs/2510.03160"');
  });

  it('another team, a visitor and a cross-site form cannot edit it', async () => {
    const hostile = { ...card, parametersB: '999', licence: 'stolen' };
    expect((await postAs(baseUrl, `/models/${modelId}`, hostile, outsider.cookie)).status).toBe(403);
    expect((await postAs(baseUrl, `/models/${modelId}`, hostile)).status).toBe(401);
    const crossSite = await fetch(new URL(`/models/${modelId}`, baseUrl), {
      method: 'POST',
      body: new URLSearchParams(hostile),
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://evil.example', cookie: owner.cookie },
      redirect: 'manual',
    });
    expect(crossSite.status).toBe(403);
    const page = (await getAs(baseUrl, `/models/${modelId}`)).text;
    expect(page).not.toContain('stolen');
    expect(page).not.toContain('999 B parameters');
    // The outsider's page has no edit form; the owner's has.
    expect((await getAs(baseUrl, `/models/${modelId}`, outsider.cookie)).text).not.toContain('Edit the model card');
    expect((await getAs(baseUrl, `/models/${modelId}`, owner.cookie)).text).toContain('Edit the model card');
  });

  it('a hidden-split submission without a card names the missing facts', async () => {
    const res = await postSubmitForm(baseUrl, outsider, { modelName: 'no-card', endpointUrl: endpoint.url, endpointModel: 'm', release: DEMO_RELEASE, split: 'test' });
    expect(res.status).toBe(400);
    for (const fact of ['the parameter count', 'whether the weights are open or closed', 'the licence']) expect(res.text).toContain(fact);
  });
});
