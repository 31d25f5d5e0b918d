import { EvaluationError } from '../errors';
import type { ModelAdapter, ModelPrompt } from './types';
import { withRetries } from './retry';

export interface EndpointSettings {
  /** Base URL of an OpenAI-compatible server, e.g. `http://host:8000/v1`. */
  url: string;
  model: string;
  token?: string;
  timeoutMs: number;
  /** Total attempts per request for transient errors (1 = no retry). */
  attempts: number;
  maxResponseBytes?: number;
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

/** Pulls the answer text out of a Chat Completions response, or says why it cannot. */
export function readChatAnswer(body: unknown): string {
  const choice = (body as { choices?: Array<{ message?: { content?: unknown } }> } | null)?.choices?.[0];
  const content = choice?.message?.content;
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content.map((p) => (typeof p?.text === 'string' ? p.text : '')).join('');
  }
  throw new EvaluationError('malformed_response', 'The endpoint answered without choices[0].message.content.');
}

async function postOnce(settings: EndpointSettings, body: string, outer?: AbortSignal): Promise<string> {
  const timeout = AbortSignal.timeout(settings.timeoutMs);
  const signal = outer ? AbortSignal.any([outer, timeout]) : timeout;
  let res: Response;
  try {
    res = await fetch(chatCompletionsUrl(settings.url), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(settings.token ? { authorization: `Bearer ${settings.token}` } : {}),
      },
      body,
      signal,
      redirect: 'error',
    });
  } catch (e) {
    if (outer?.aborted) throw e;
    if (timeout.aborted) {
      throw new EvaluationError('timeout', `The endpoint did not answer within ${settings.timeoutMs} ms.`, { transient: true });
    }
    throw new EvaluationError('unreachable', `The endpoint could not be reached (${describeNetworkError(e)}).`, {
      transient: true,
    });
  }
  let text: string;
  try {
    text = await res.text();
  } catch {
    throw new EvaluationError('timeout', `The endpoint did not finish its answer within ${settings.timeoutMs} ms.`, { transient: true });
  }
  if (!res.ok) {
    const transient = res.status === 429 || res.status >= 500;
    throw new EvaluationError('http_status', `The endpoint answered HTTP ${res.status}.`, { transient, status: res.status });
  }
  const limit = settings.maxResponseBytes ?? 1_000_000;
  if (Buffer.byteLength(text) > limit) {
    throw new EvaluationError('response_too_large', `The endpoint's answer exceeded ${limit} bytes.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new EvaluationError('malformed_response', 'The endpoint answered with something that is not JSON.');
  }
  return readChatAnswer(json);
}

function describeNetworkError(e: unknown): string {
  const cause = (e as { cause?: { code?: string } })?.cause;
  return cause?.code ?? (e instanceof Error ? e.message : 'network error');
}

/** Adapter for an OpenAI-compatible Chat Completions endpoint (vLLM, SGLang, TGI, Ollama, ...). */
export function createEndpointAdapter(settings: EndpointSettings): ModelAdapter {
  return {
    async generate(prompt, signal) {
      const body = JSON.stringify(buildChatRequest(settings.model, prompt));
      return withRetries(() => postOnce(settings, body, signal), { attempts: settings.attempts, signal });
    },
    async close() {},
  };
}
