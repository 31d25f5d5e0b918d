/** Team API tokens as a test gets them: through the team page's form, like an owner in a browser without JavaScript. */
import { expect } from 'vitest';
import { postAs, type Account } from './accounts';

export async function createTeam(baseUrl: string, owner: Account, name: string): Promise<number> {
  const res = await postAs(baseUrl, '/teams/new', { name }, owner.cookie);
  expect(res.status, res.text.slice(0, 300)).toBe(302);
  return Number(/\/teams\/(\d+)$/.exec(res.location ?? '')![1]);
}

/** Posts the team page's form with repeated fields (the scope checkboxes). */
export async function postTeamForm(baseUrl: string, teamId: number, fields: Array<[string, string]>, cookie: string) {
  const res = await fetch(new URL(`/teams/${teamId}`, baseUrl), {
    method: 'POST',
    body: new URLSearchParams(fields),
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(baseUrl).origin, cookie },
    redirect: 'manual',
  });
  return { status: res.status, text: await res.text() };
}

/** Creates a token with the given scopes; returns it as the page shows it (once). */
export async function createApiToken(baseUrl: string, owner: Account, teamId: number, name: string, scopes: string[]): Promise<string> {
  const res = await postTeamForm(baseUrl, teamId, [['intent', 'create-token'], ['tokenName', name], ...scopes.map((s): [string, string] => ['scopes', s])], owner.cookie);
  expect(res.status, res.text.slice(0, 300)).toBe(200);
  const token = /data-testid="new-api-token"[^>]*>(sbh_[A-Za-z0-9_-]+)</.exec(res.text)?.[1];
  expect(token, 'the page shows the new token').toBeTruthy();
  return token!;
}

export function tokenIdOnPage(html: string, name: string): number {
  const m = new RegExp(`data-testid="api-token-(\\d+)"><td>${name}</td>`).exec(html);
  if (!m) throw new Error(`token ${name} not listed`);
  return Number(m[1]);
}
