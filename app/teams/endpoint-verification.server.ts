/**
 * Endpoint host verification (docs/decisions/253-endpoint-host-verification.md): the platform gives a team a
 * token; the team serves it as the body of `<origin>/.well-known/spinebench-verification`; a check fetches that
 * through the SSRF-guarded client (evaluator/net/safe-fetch.ts: guard on every hop, pinned addresses, capped
 * body, no redirects) and marks the origin verified. Endpoint runs on a verified origin show a badge.
 */
import { randomBytes } from 'node:crypto';
import {
  ensureVerification,
  findTeamVerification,
  recordCheck,
  runEndpoint,
  verifiedOrigins,
} from '../../db/queries/endpoint-verifications';
import { isEvaluationError } from '../../evaluator/errors';
import { safeFetch } from '../../evaluator/net/safe-fetch';
import { checkEndpointUrl } from '../../evaluator/net/ssrf-guard';
import type { SessionUser } from '../auth/session.server';
import type { AppServices } from '../services.server';

export const WELL_KNOWN_PATH = '/.well-known/spinebench-verification';
const CHECK_TIMEOUT_MS = 10_000;

/** Pure: the origin (scheme://host[:port], lower case) of an endpoint URL, or null when it is not an http(s) URL. */
export function verificationOrigin(raw: string): string | null {
  try {
    const url = new URL(raw.trim());
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return url.origin.toLowerCase();
  } catch {
    return null;
  }
}

/** Pure: whether the served body proves control: the token alone, surrounding whitespace allowed. */
export function bodyProvesToken(body: string, token: string): boolean {
  return body.trim() === token;
}

export type StartOutcome = { ok: true; origin: string } | { ok: false; field: 'endpointUrl'; message: string };

export async function startVerification(services: AppServices, user: SessionUser, teamId: number, rawUrl: string): Promise<StartOutcome> {
  if (rawUrl.length > 2048) return { ok: false, field: 'endpointUrl', message: 'Endpoint URL: at most 2048 characters.' };
  const origin = verificationOrigin(rawUrl);
  if (!origin) return { ok: false, field: 'endpointUrl', message: 'Endpoint URL: give a full http(s) URL, e.g. https://models.example.org/v1.' };
  await ensureVerification(services.db, { teamId, origin, token: `sbv_${randomBytes(24).toString('base64url')}`, createdBy: user.id });
  return { ok: true, origin };
}

export type CheckOutcome = { ok: true; origin: string } | { ok: false; origin: string; message: string } | null;

/** Fetches the well-known file and records the result; null when the team has no such verification. */
export async function checkVerification(services: AppServices, teamId: number, id: number): Promise<CheckOutcome> {
  const row = await findTeamVerification(services.db, teamId, id);
  if (!row) return null;
  const url = `${row.origin}${WELL_KNOWN_PATH}`;
  const allowList = services.config.endpointAllowList;
  let message: string | null = null;
  const guard = await checkEndpointUrl(url, { allowList });
  if (!guard.ok) {
    message = `refused: ${guard.reason}`;
  } else {
    try {
      const res = await safeFetch(url, { allowList, timeoutMs: CHECK_TIMEOUT_MS, maxResponseBytes: 4096, maxRedirects: 0, headers: { accept: 'text/plain' } });
      if (res.status !== 200) message = `${url} answered HTTP ${res.status}`;
      else if (!bodyProvesToken(res.body, row.token)) message = `${url} does not hold this team's token`;
    } catch (e) {
      if (!isEvaluationError(e)) throw e;
      message = `${url}: ${e.message}`;
    }
  }
  await recordCheck(services.db, row.id, message === null ? { ok: true } : { ok: false, error: message.slice(0, 300) });
  return message === null ? { ok: true, origin: row.origin } : { ok: false, origin: row.origin, message };
}

/** Whether a run's endpoint lies on an origin its team has verified (false for ONNX and baseline runs). */
export async function runEndpointVerified(services: Pick<AppServices, 'db'>, runId: number): Promise<boolean> {
  const endpoint = await runEndpoint(services.db, runId);
  if (!endpoint) return false;
  const origin = verificationOrigin(endpoint.endpointUrl);
  return origin !== null && (await verifiedOrigins(services.db, endpoint.teamId)).has(origin);
}
