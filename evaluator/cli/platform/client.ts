/** The CLI's HTTP client for /api/v1: JSON in and out, the API's errors turned into exit codes (exit-codes.ts). */
import { EXIT, PlatformCliError } from './exit-codes';

export interface ApiClient {
  baseUrl: string;
  request<T>(method: string, path: string, opts?: { json?: unknown; body?: Uint8Array; headers?: Record<string, string>; auth?: boolean; signal?: AbortSignal }): Promise<T>;
}

interface ApiErrorBody {
  error?: { code?: string; message?: string; field?: string; problems?: Array<{ message?: string; path?: string }> };
}

function exitCodeFor(status: number): number {
  if (status === 401 || status === 403) return EXIT.auth;
  if (status >= 400 && status < 500) return EXIT.refused;
  return EXIT.failed;
}

export function createClient(baseUrl: string, token: string | null): ApiClient {
  return {
    baseUrl,
    async request<T>(method: string, path: string, opts: { json?: unknown; body?: Uint8Array; headers?: Record<string, string>; auth?: boolean; signal?: AbortSignal } = {}) {
      const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
      if (opts.auth) {
        if (!token) throw new PlatformCliError('no API token: run "npx spinebench login" or set SPINEBENCH_TOKEN (create a token on your team page).', EXIT.auth);
        headers.authorization = `Bearer ${token}`;
      }
      let body: BodyInit | undefined;
      if (opts.json !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(opts.json);
      } else if (opts.body) {
        body = opts.body as unknown as BodyInit;
      }
      let res: Response;
      try {
        res = await fetch(`${baseUrl}${path}`, { method, headers, body, signal: opts.signal });
      } catch (e) {
        if (opts.signal?.aborted) throw e;
        throw new PlatformCliError(`cannot reach ${baseUrl} (${(e as Error & { cause?: { code?: string } }).cause?.code ?? (e as Error).message}); check --url or SPINEBENCH_URL.`, EXIT.failed);
      }
      if (res.status === 204) return undefined as T;
      const text = await res.text();
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        throw new PlatformCliError(`${method} ${path}: the server at ${baseUrl} answered ${res.status} without JSON; is it a SpineBench Hub?`, exitCodeFor(res.status) || EXIT.failed);
      }
      if (!res.ok) {
        const error = (parsed as ApiErrorBody)?.error;
        const problems = error?.problems?.map((p) => `\n  - ${p.path ? `${p.path}: ` : ''}${p.message}`).join('') ?? '';
        const field = error?.field ? ` [${error.field}]` : '';
        throw Object.assign(new PlatformCliError(`${error?.message ?? `${method} ${path} failed with ${res.status}`}${field}${problems}`, exitCodeFor(res.status)), { status: res.status, body: parsed });
      }
      return parsed as T;
    },
  };
}
