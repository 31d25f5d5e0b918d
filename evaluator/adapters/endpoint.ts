import { EvaluationError } from '../errors';
import type { AllowList } from '../net/allow-list';
import { createRequestLimiter } from '../net/limiter';
import { isTransientHttpStatus, withRetries } from '../net/retry';
import { createSafeFetcher, type SafeFetcher } from '../net/safe-fetch';
import type { HostLookup } from '../net/ssrf-guard';
import type { ModelAdapter, ModelPrompt } from './types';

export interface EndpointSettings {
  /** Base URL of an OpenAI-compatible server, e.g. `http://host:8000/v1`. */
  url: string;
  model: string;
  token?: string;
  timeoutMs: number;
  /** Total attempts per request for transient errors (1 = no retry). */
  attempts: number;
  /** Parallel requests this adapter lets through, and requests started per second (unlimited if unset). */
  concurrency?: number;
  ratePerSecond?: number;
  maxResponseBytes?: number;
  /** Operator allow-list that opens private addresses on purpose (SSRF guard otherwise refuses them). */
  allowList?: readonly string[] | AllowList;
  /** Resolver override, for tests. */
  lookup?: HostLookup;
  /** Delay before the second attempt (doubles). */
  retryBaseDelayMs?: number;
  /**
   * Connection pools to use instead of the adapter's own (allowList, lookup and maxResponseBytes then come
   * from it). A shared fetcher outlives the adapter: close() leaves it open.
   */
  fetcher?: SafeFetcher;
}

export function chatCompletionsUrl(base: string): string {
  const trimmed = base.replace(/\/+$/, '');
  return trimmed.endsWith('/chat/completions') ? trimmed : `${trimmed}/chat/completions`;
}

/** The Chat Completions request body: images as base64 data URLs, temperature 0. */
export function buildChatRequest(model: string, prompt: ModelPrompt) {
  const content = [
    { type: 'text' as const, text: prompt.text },
    ...prompt.images.map((img) => ({
      type: 'image_url' as const,
      image_url: { url: `data:${img.mimeType};base64,${Buffer.from(img.data).toString('base64')}` },
    })),
  ];
  return {
    model,
    temperature: 0,
    messages: [
      { role: 'system', content: prompt.system },
      { role: 'user', content: prompt.images.length === 0 ? prompt.text : content },
    ],
  };
}

/** Postgres text and jsonb cannot hold U+0000; an answer carrying it would fail its commit, so it is dropped here. */
const withoutNul = (text: string) => (text.includes('\u0000') ? text.replaceAll('\u0000', '') : text);

/** Pulls the answer text out of a Chat Completions response, or says why it cannot. */
export function readChatAnswer(body: unknown): string {
  const choice = (body as { choices?: Array<{ message?: { content?: unknown } }> } | null)?.choices?.[0];
  const content = choice?.message?.content;
  if (typeof content === 'string') return withoutNul(content);
  if (Array.isArray(content)) {
    return withoutNul(content.map((p) => (typeof p?.text === 'string' ? p.text : '')).join(''));
  }
  throw new EvaluationError('malformed_response', 'The endpoint answered without choices[0].message.content.');
}

async function postOnce(fetcher: SafeFetcher, settings: EndpointSettings, body: string, signal?: AbortSignal): Promise<string> {
  const res = await fetcher.fetch(chatCompletionsUrl(settings.url), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(settings.token ? { authorization: `Bearer ${settings.token}` } : {}),
    },
    body,
    signal,
    timeoutMs: settings.timeoutMs,
  });
  if (res.status < 200 || res.status >= 300) {
    throw new EvaluationError('http_status', `The endpoint answered HTTP ${res.status}.`, {
      transient: isTransientHttpStatus(res.status),
      status: res.status,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(res.body);
  } catch {
    throw new EvaluationError('malformed_response', 'The endpoint answered with something that is not JSON.');
  }
  return readChatAnswer(json);
}

/**
 * Adapter for an OpenAI-compatible Chat Completions endpoint (vLLM, SGLang, TGI, Ollama, ...): every
 * request goes through the SSRF-guarded fetcher, the rate limiter, and transient-only retries.
 */
export function createEndpointAdapter(settings: EndpointSettings): ModelAdapter {
  const ownFetcher = settings.fetcher ? undefined : createSafeFetcher({ allowList: settings.allowList, lookup: settings.lookup, maxResponseBytes: settings.maxResponseBytes });
  const fetcher = settings.fetcher ?? ownFetcher!;
  const limiter = createRequestLimiter({ concurrency: settings.concurrency ?? 64, ratePerSecond: settings.ratePerSecond });
  return {
    async generate(prompt, signal) {
      const body = JSON.stringify(buildChatRequest(settings.model, prompt));
      return withRetries(() => limiter.schedule(() => postOnce(fetcher, settings, body, signal), { signal }), {
        attempts: settings.attempts,
        baseDelayMs: settings.retryBaseDelayMs ?? 250,
        signal,
      });
    },
    async close() {
      limiter.clear();
      await ownFetcher?.close();
    },
  };
}
