import type { ReportItem } from '../../benchmark/item-schema';
import type { ErrorCode } from '../errors';
import { scoreRubric, REPORT_DIMENSIONS, type ReportDimension, type RubricScore } from '../scoring/report-rubric';
import { judgeIdentity, type JudgeConfig, type JudgeIdentity } from './config';
import { buildJudgeMessages } from './prompt';
import { parseJudgeAnswer } from './response';

/**
 * The result of judging one report. Only `scored` carries a score; `malformed` (the judge never produced the
 * required format) and `failed` (transport) are stored as such and never turned into a number.
 */
export type JudgeOutcome =
  | {
      status: 'scored';
      judge: JudgeIdentity;
      attempts: number;
      rubric: RubricScore;
      rationales: Record<ReportDimension, string>;
      /** The `model` the server says answered (may differ in spelling from the configured name). */
      servedModel: string | null;
    }
  | { status: 'malformed'; judge: JudgeIdentity; attempts: number; problems: string[]; lastContent: string }
  | { status: 'failed'; judge: JudgeIdentity; attempts: number; code: ErrorCode; message: string }
  /** The candidate was empty or blank: nothing to rate, so the judge is not asked; worth the lowest rating (docs/decisions/127). */
  | { status: 'no_report'; judge: JudgeIdentity; attempts: 0 };

/**
 * The judge endpoint said another model answered than the one configured: judging stops (a score from an unpinned
 * model must never be stored as the pinned judge's).
 */
export class JudgeModelMismatchError extends Error {
  constructor(readonly expected: string, readonly served: string | null) {
    super(
      served === null
        ? `judge endpoint did not report which model answered (expected "${expected}"); judging stopped — pin a server that reports its model`
        : `judge endpoint reports serving "${served}", but the configured judge is "${expected}"; judging stopped — fix JUDGE_MODEL (or set servedModel) to the model actually served`,
    );
    this.name = 'JudgeModelMismatchError';
  }
}

export interface JudgeCallOptions {
  /** Aborting stops the call at once and rejects with the signal's reason (no outcome is stored). */
  signal?: AbortSignal;
  /** For tests and proxies; defaults to the global fetch. */
  fetch?: typeof fetch;
}

const MAX_RESPONSE_CHARS = 1_000_000;
const STORED_CONTENT_CHARS = 4_000;

type AttemptResult =
  /** servedModel: the response's `model`; null when a JSON response names none; undefined when the body is not JSON. */
  | { kind: 'answer'; content: string; servedModel: string | null | undefined }
  | { kind: 'retry'; code: ErrorCode; message: string }
  | { kind: 'fatal'; code: ErrorCode; message: string };

/** Asks the judge to rate a candidate report; retries malformed answers and transient failures up to `maxAttempts`. */
export async function judgeReport(
  config: JudgeConfig,
  item: ReportItem,
  candidate: string,
  options: JudgeCallOptions = {},
): Promise<JudgeOutcome> {
  const judge = judgeIdentity(config);
  if (candidate.trim() === '') return { status: 'no_report', judge, attempts: 0 };
  const body = JSON.stringify({
    model: config.model,
    messages: buildJudgeMessages(item, candidate),
    temperature: 0,
    max_tokens: config.maxTokens,
    ...(config.jsonMode ? { response_format: { type: 'json_object' } } : {}),
  });
  const problems: string[] = [];
  let lastContent = '';
  let lastFailure: { code: ErrorCode; message: string } | null = null;

  for (let attempt = 1; attempt <= config.maxAttempts; attempt++) {
    if (attempt > 1) await sleep(config.retryBackoffMs * 2 ** (attempt - 2), options.signal);
    const result = await attemptOnce(config, body, options);
    if (result.kind === 'fatal') return { status: 'failed', judge, attempts: attempt, code: result.code, message: result.message };
    if (result.kind === 'retry') {
      lastFailure = { code: result.code, message: result.message };
      continue;
    }
    const expected = config.servedModel ?? config.model;
    // A body that is not JSON is a malformed answer (retried below); a chat completion must name the pinned model.
    if (result.servedModel !== undefined && result.servedModel !== expected) throw new JudgeModelMismatchError(expected, result.servedModel);
    const parsed = parseJudgeAnswer(result.content);
    if (parsed.ok) {
      const dimensions = Object.fromEntries(REPORT_DIMENSIONS.map((d) => [d, parsed.answer[d].score])) as Record<ReportDimension, number>;
      const rationales = Object.fromEntries(REPORT_DIMENSIONS.map((d) => [d, parsed.answer[d].rationale])) as Record<ReportDimension, string>;
      return { status: 'scored', judge, attempts: attempt, rubric: scoreRubric(dimensions), rationales, servedModel: result.servedModel ?? null };
    }
    problems.push(`attempt ${attempt}: ${parsed.problem}`);
    lastContent = result.content.slice(0, STORED_CONTENT_CHARS);
    lastFailure = null;
  }
  if (lastFailure === null) return { status: 'malformed', judge, attempts: config.maxAttempts, problems, lastContent };
  return { status: 'failed', judge, attempts: config.maxAttempts, ...lastFailure };
}

async function attemptOnce(config: JudgeConfig, body: string, options: JudgeCallOptions): Promise<AttemptResult> {
  const doFetch = options.fetch ?? fetch;
  const timeout = AbortSignal.timeout(config.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const url = `${config.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (config.apiKey) headers.authorization = `Bearer ${config.apiKey}`;

  let text: string;
  let status: number;
  try {
    const res = await doFetch(url, { method: 'POST', headers, body, signal });
    status = res.status;
    text = await res.text();
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (timeout.aborted) return { kind: 'retry', code: 'timeout', message: `judge did not answer within ${config.timeoutMs} ms` };
    return { kind: 'retry', code: 'unreachable', message: `judge endpoint unreachable: ${(error as Error).message}` };
  }
  if (status === 429 || status >= 500) return { kind: 'retry', code: 'http_status', message: `judge endpoint answered HTTP ${status}` };
  if (status < 200 || status >= 300) return { kind: 'fatal', code: 'http_status', message: `judge endpoint answered HTTP ${status}` };
  if (text.length > MAX_RESPONSE_CHARS) return { kind: 'retry', code: 'response_too_large', message: `judge response over ${MAX_RESPONSE_CHARS} chars` };

  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: 'answer', content: text, servedModel: undefined };
  }
  const message = (json as { choices?: Array<{ message?: { content?: unknown } }> }).choices?.[0]?.message;
  const content = typeof message?.content === 'string' ? message.content : '';
  const served = (json as { model?: unknown }).model;
  return { kind: 'answer', content, servedModel: typeof served === 'string' ? served : null };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return signal?.aborted ? Promise.reject(signal.reason) : Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export type { JudgeConfig, JudgeIdentity };
