/** Small HTTP helpers for talking to a running platform like a browser or a script would. */

export async function getText(baseUrl: string, path: string): Promise<{ status: number; text: string }> {
  const res = await fetch(new URL(path, baseUrl));
  return { status: res.status, text: await res.text() };
}

export async function getJson<T = any>(baseUrl: string, path: string): Promise<T> {
  const res = await fetch(new URL(path, baseUrl));
  if (!res.ok) throw new Error(`GET ${path} → ${res.status}`);
  return (await res.json()) as T;
}

/** Posts a plain HTML form (no JavaScript), as a browser does; returns the redirect target or the page. */
export async function postForm(baseUrl: string, path: string, fields: Record<string, string>) {
  const res = await fetch(new URL(path, baseUrl), {
    method: 'POST',
    body: new URLSearchParams(fields),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    redirect: 'manual',
  });
  return { status: res.status, location: res.headers.get('location'), text: await res.text() };
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A verified account signed in as a member of a team: who submits through the web forms. */
export interface TeamMember {
  cookie: string;
  teamId: number;
}

/** A model card complete enough for a hidden-split run. */
export const CARD_FIELDS = { parametersB: '7', weights: 'open', licence: 'apache-2.0' } as const;

/** Submits an endpoint through the web form as a team member; returns the new run's id. */
export async function submitEndpointRun(
  baseUrl: string,
  member: TeamMember,
  fields: { modelName: string; endpointUrl: string; endpointModel: string; release: string; split?: 'dev' | 'test'; endpointToken?: string },
): Promise<number> {
  const res = await postSubmitForm(baseUrl, member, { split: 'test', ...CARD_FIELDS, ...fields });
  const runId = /\/runs\/(\d+)/.exec(res.location ?? '')?.[1];
  if (res.status !== 302 || !runId) throw new Error(`submission refused (${res.status}): ${res.text.slice(0, 300)}`);
  return Number(runId);
}

/** Posts the /submit form as a member of the given team, with the platform's Origin as a browser would. */
export async function postSubmitForm(baseUrl: string, member: TeamMember, fields: Record<string, string>) {
  const res = await fetch(new URL('/submit', baseUrl), {
    method: 'POST',
    body: new URLSearchParams({ teamId: String(member.teamId), ...fields }),
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(baseUrl).origin, cookie: member.cookie },
    redirect: 'manual',
  });
  return { status: res.status, location: res.headers.get('location'), text: await res.text() };
}

export interface RunJson {
  id: number;
  status: string;
  doneItems: number;
  totalItems: number;
  errorCode: string | null;
  score: number | null;
}

export async function waitForRunEnd(baseUrl: string, runId: number, timeoutMs = 90_000): Promise<RunJson> {
  return waitFor(
    `run ${runId} to end`,
    async () => {
      const run = await getJson<RunJson>(baseUrl, `/api/runs/${runId}`);
      return run.status === 'succeeded' || run.status === 'failed' ? run : null;
    },
    timeoutMs,
  );
}
