/**
 * Arguments of the platform commands. Pure: argv → a command, or a UsageError (exit 2) naming the flag.
 */
import { parseArgs } from 'node:util';
import { UsageError } from '../args';
import { EXIT_CODES_HELP } from './exit-codes';

export const PLATFORM_COMMANDS = ['submit', 'status', 'leaderboard', 'login'] as const;
export type PlatformCommandName = (typeof PLATFORM_COMMANDS)[number];

export const PLATFORM_USAGE = `Platform commands (talk to a SpineBench Hub server with a team API token):

  npx spinebench submit --endpoint URL --release NAME [--model-name NAME] [--endpoint-model NAME]
                        [--endpoint-token TOKEN] [--split dev|test] [--watch]
  npx spinebench submit --onnx FILE --release NAME [--model-name NAME] [--split dev|test] [--watch]
      Submits an OpenAI-compatible endpoint, or an ONNX bundle archive (.tar, .tar.gz, .zip) through the
      resumable upload (progress bar; an interrupted chunk is resumed). --release is the release slug
      (name@version, see "spinebench leaderboard" or /api/v1/releases). --split defaults to dev.
      --model-name defaults to the endpoint's model name or the archive's file name. --endpoint-model is
      the name your server expects (default: --model-name). --endpoint-token, or SPINEBENCH_ENDPOINT_TOKEN,
      is the bearer token the platform sends to your endpoint. --watch follows the run to its end.
  npx spinebench status RUN [--watch] [--json]
      A run's status, progress and score; --watch shows a progress bar until it ends.
  npx spinebench leaderboard RELEASE [--view overview|levels|modality|reports] [--csv]
      A release's board (aggregate scores) as a table, or as CSV on stdout.
  npx spinebench login [--token TOKEN] [--url URL]
      Checks a team API token (from --token, or read from stdin) and stores it with the URL in
      the user's config folder (~/.config/spinebench/config.json on Linux), readable only by you (0600).

  Everywhere: --url URL (the platform, default http://localhost:3000). SPINEBENCH_URL and SPINEBENCH_TOKEN
  override what login stored. Create tokens on your team page (scopes: submit, read).

${EXIT_CODES_HELP}`;

export interface Connection {
  url: string | null;
}

export type PlatformCommand =
  | { command: 'help' }
  | ({ command: 'submit'; release: string; split: 'dev' | 'test'; modelName: string | null; watch: boolean; chunkBytes: number } & (
      | { source: 'endpoint'; endpoint: string; endpointModel: string | null; endpointToken: string | null }
      | { source: 'onnx'; file: string }
    ) &
      Connection)
  | ({ command: 'status'; runId: number; watch: boolean; json: boolean } & Connection)
  | ({ command: 'leaderboard'; release: string; view: string; csv: boolean } & Connection)
  | ({ command: 'login'; token: string | null } & Connection);

const OPTIONS = {
  url: { type: 'string' },
  endpoint: { type: 'string' },
  onnx: { type: 'string' },
  'model-name': { type: 'string' },
  'endpoint-model': { type: 'string' },
  'endpoint-token': { type: 'string' },
  release: { type: 'string' },
  split: { type: 'string' },
  watch: { type: 'boolean' },
  json: { type: 'boolean' },
  csv: { type: 'boolean' },
  view: { type: 'string' },
  token: { type: 'string' },
  'chunk-mb': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const ALLOWED: Record<PlatformCommandName, string[]> = {
  submit: ['url', 'endpoint', 'onnx', 'model-name', 'endpoint-model', 'endpoint-token', 'release', 'split', 'watch', 'chunk-mb'],
  status: ['url', 'watch', 'json'],
  leaderboard: ['url', 'view', 'csv'],
  login: ['url', 'token'],
};

const VIEWS = ['overview', 'levels', 'modality', 'reports'];

export function isPlatformCommand(argv: readonly string[]): boolean {
  const first = argv.find((a) => !a.startsWith('-'));
  return (PLATFORM_COMMANDS as readonly string[]).includes(first ?? '');
}

export function parsePlatformArgs(argv: readonly string[], env: Record<string, string | undefined> = {}): PlatformCommand {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    const message = String((e as Error).message).split('\n')[0];
    const flag = /'(-{1,2}[\w-]+)/.exec(message)?.[1];
    throw new UsageError(flag ? `${/Unknown option/.test(message) ? 'unknown option' : 'bad option'} ${flag}; see --help` : `${message}; see --help`);
  }
  const { values, positionals } = parsed;
  if (values.help) return { command: 'help' };
  const [name, ...rest] = positionals as [PlatformCommandName, ...string[]];
  for (const key of Object.keys(values)) {
    if (!ALLOWED[name].includes(key)) throw new UsageError(`--${key} does not apply to "${name}"; see --help`);
  }
  const url = values.url !== undefined ? httpUrl(values.url, '--url') : null;
  const noExtra = (n: number) => {
    if (rest.length > n) throw new UsageError(`unexpected argument "${rest[n]}" (flags start with --)`);
  };
  switch (name) {
    case 'submit': {
      noExtra(0);
      if (!values.release?.trim()) throw new UsageError('submit needs --release NAME (the release slug, name@version)');
      const split = values.split ?? 'dev';
      if (split !== 'dev' && split !== 'test') throw new UsageError(`--split must be dev or test (got "${split}")`);
      const chunkMb = values['chunk-mb'] === undefined ? 8 : Number(values['chunk-mb']);
      if (!(chunkMb > 0 && chunkMb <= 1024)) throw new UsageError(`--chunk-mb must be a number of MiB between 0 and 1024 (got "${values['chunk-mb']}")`);
      const common = { command: 'submit' as const, url, release: values.release.trim(), split: split as 'dev' | 'test', modelName: values['model-name']?.trim() || null, watch: values.watch ?? false, chunkBytes: Math.round(chunkMb * 1024 * 1024) };
      if (values.endpoint !== undefined && values.onnx !== undefined) throw new UsageError('give either --endpoint or --onnx, not both');
      if (values.endpoint !== undefined) {
        return {
          ...common,
          source: 'endpoint',
          endpoint: httpUrl(values.endpoint, '--endpoint'),
          endpointModel: values['endpoint-model']?.trim() || null,
          endpointToken: values['endpoint-token'] ?? (env.SPINEBENCH_ENDPOINT_TOKEN || null),
        };
      }
      if (values.onnx !== undefined) {
        if (values['endpoint-model'] !== undefined || values['endpoint-token'] !== undefined) throw new UsageError('--endpoint-model and --endpoint-token apply to --endpoint only');
        if (!values.onnx.trim()) throw new UsageError('--onnx needs a file');
        return { ...common, source: 'onnx', file: values.onnx };
      }
      throw new UsageError('choose what to submit: --endpoint URL (an OpenAI-compatible server) or --onnx FILE (a bundle archive)');
    }
    case 'status': {
      noExtra(1);
      const raw = rest[0];
      if (raw === undefined) throw new UsageError('status needs a run id, e.g. "spinebench status 12"');
      if (!/^\d{1,9}$/.test(raw) || Number(raw) < 1) throw new UsageError(`run id must be a positive whole number (got "${raw}")`);
      return { command: 'status', url, runId: Number(raw), watch: values.watch ?? false, json: values.json ?? false };
    }
    case 'leaderboard': {
      noExtra(1);
      if (rest[0] === undefined) throw new UsageError('leaderboard needs a release, e.g. "spinebench leaderboard SpineBench-Synth@1.0.0"');
      const view = values.view ?? 'overview';
      if (!VIEWS.includes(view)) throw new UsageError(`--view must be one of ${VIEWS.join(', ')} (got "${view}")`);
      return { command: 'leaderboard', url, release: rest[0], view, csv: values.csv ?? false };
    }
    case 'login': {
      noExtra(0);
      if (values.token !== undefined && !values.token.trim()) throw new UsageError('--token needs a value');
      return { command: 'login', url, token: values.token?.trim() ?? null };
    }
  }
  throw new UsageError(`unknown command "${String(name)}"`);
}

function httpUrl(text: string, flag: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${flag} must be a full URL such as https://example.org (got "${text}")`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`${flag} must be an http:// or https:// URL (got "${text}")`);
  return text;
}
