/**
 * The platform commands over /api/v1 (docs in README.md and --help). Progress bars (cli-progress) go to
 * stderr, results to stdout; each failure carries its exit code (exit-codes.ts).
 */
import cliProgress from 'cli-progress';
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import type { CliIo } from '../run-eval';
import type { PlatformCommand } from './args';
import { createClient, type ApiClient } from './client';
import { resolveConnection, saveLogin } from './credentials';
import { EXIT, PlatformCliError } from './exit-codes';

const POLL_MS = 1000;
const FINISHED = new Set(['succeeded', 'failed', 'cancelled']);

interface RunJson {
  id: number;
  status: string;
  split: 'dev' | 'test';
  totalItems: number | null;
  doneItems: number;
  errorCode: string | null;
  errorMessage: string | null;
  modelName: string;
  teamName: string;
  releaseName: string;
  releaseVersion: string;
  score: number | null;
}

interface Submitted {
  runId: number;
  runUrl: string;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

function bar(io: CliIo, format: string) {
  return new cliProgress.SingleBar({ format, stream: io.stderr as NodeJS.WritableStream & { isTTY: boolean }, hideCursor: true, clearOnComplete: false }, cliProgress.Presets.shades_classic);
}

/** A model name the platform accepts, from a file or endpoint model name. */
function defaultModelName(raw: string): string {
  const cleaned = raw.replace(/[^\w.\- ]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80);
  return cleaned || 'model';
}

export async function runPlatformCommand(cmd: Exclude<PlatformCommand, { command: 'help' }>, io: CliIo): Promise<number> {
  const conn = await resolveConnection(cmd.url, io.env);
  if (cmd.command === 'login') return login(cmd.token, conn.url, io);
  const client = createClient(conn.url, conn.token);
  switch (cmd.command) {
    case 'status':
      return cmd.watch ? watchRun(client, cmd.runId, io) : printStatus(client, cmd.runId, cmd.json, io);
    case 'leaderboard':
      return leaderboard(client, cmd.release, cmd.view, cmd.csv, io);
    case 'submit': {
      const submitted = cmd.source === 'endpoint' ? await submitEndpoint(client, cmd) : await submitOnnx(client, cmd, io);
      io.stdout.write(`Submitted: run ${submitted.runId} (${client.baseUrl}${submitted.runUrl})\n`);
      return cmd.watch ? watchRun(client, submitted.runId, io) : EXIT.ok;
    }
  }
}

async function submitEndpoint(client: ApiClient, cmd: Extract<PlatformCommand, { source: 'endpoint' }>): Promise<Submitted> {
  const modelName = cmd.modelName ?? defaultModelName(cmd.endpointModel ?? new URL(cmd.endpoint).hostname);
  return client.request<Submitted>('POST', '/api/v1/submissions', {
    auth: true,
    json: {
      modelName,
      endpointUrl: cmd.endpoint,
      endpointModel: cmd.endpointModel ?? modelName,
      ...(cmd.endpointToken ? { endpointToken: cmd.endpointToken } : {}),
      release: cmd.release,
      split: cmd.split,
    },
  });
}

interface UploadState {
  id: string;
  offset: number;
}

/** Sends the archive in chunks; a failed chunk is retried from the offset the server reports (up to 3 times in a row). */
async function submitOnnx(client: ApiClient, cmd: Extract<PlatformCommand, { source: 'onnx' }>, io: CliIo): Promise<Submitted> {
  const size = await stat(cmd.file).then(
    (s) => (s.isFile() ? s.size : -1),
    () => -1,
  );
  if (size < 0) throw new PlatformCliError(`--onnx ${cmd.file}: no such file (give the bundle archive: .tar, .tar.gz or .zip).`, EXIT.usage);
  if (size === 0) throw new PlatformCliError(`--onnx ${cmd.file}: the file is empty.`, EXIT.usage);
  const modelName = cmd.modelName ?? defaultModelName(path.basename(cmd.file).replace(/\.(tar\.gz|tgz|tar|zip)$/i, ''));
  const upload = await client.request<UploadState>('POST', '/api/v1/uploads', { auth: true, json: { totalBytes: size } });
  const progress = bar(io, 'Upload |{bar}| {percentage}% | {value}/{total} bytes');
  progress.start(size, 0);
  const file = await open(cmd.file);
  try {
    let offset = 0;
    let failures = 0;
    while (offset < size) {
      if (io.signal?.aborted) throw new PlatformCliError('interrupted', EXIT.interrupted);
      const length = Math.min(cmd.chunkBytes, size - offset);
      const chunk = Buffer.alloc(length);
      await file.read(chunk, 0, length, offset);
      try {
        const state = await client.request<UploadState>('PUT', `/api/v1/uploads/${upload.id}`, {
          auth: true,
          body: chunk,
          headers: { 'content-type': 'application/octet-stream', 'content-range': `bytes ${offset}-${offset + length - 1}/${size}` },
        });
        offset = state.offset;
        failures = 0;
      } catch (e) {
        const status = (e as { status?: number }).status;
        if (status !== undefined && status !== 409 && status < 500) throw e;
        if (++failures > 3) throw e;
        offset = (await client.request<UploadState>('GET', `/api/v1/uploads/${upload.id}`, { auth: true })).offset;
      }
      progress.update(offset);
    }
  } finally {
    progress.stop();
    await file.close();
  }
  return client.request<Submitted>('POST', `/api/v1/uploads/${upload.id}/complete`, { auth: true, json: { modelName, release: cmd.release, split: cmd.split } });
}

function describeRun(run: RunJson): string {
  const lines = [
    `Run ${run.id} · ${run.modelName} (${run.teamName}) on ${run.releaseName}@${run.releaseVersion} · ${run.split === 'test' ? 'hidden test' : 'dev'} split`,
    `Status: ${run.status} · ${run.doneItems}/${run.totalItems ?? '?'} items${run.score === null ? '' : ` · score ${run.score.toFixed(1)}`}`,
  ];
  if (run.errorCode || run.errorMessage) lines.push(`Error: ${[run.errorCode, run.errorMessage].filter(Boolean).join(': ')}`);
  return `${lines.join('\n')}\n`;
}

const exitForRun = (run: RunJson) => (run.status === 'failed' || run.status === 'cancelled' ? EXIT.runFailed : EXIT.ok);

async function printStatus(client: ApiClient, runId: number, json: boolean, io: CliIo): Promise<number> {
  const run = await client.request<RunJson>('GET', `/api/v1/runs/${runId}`);
  io.stdout.write(json ? `${JSON.stringify(run, null, 2)}\n` : describeRun(run));
  return exitForRun(run);
}

/** Polls the run with a progress bar until it ends; the exit code says how it ended. */
async function watchRun(client: ApiClient, runId: number, io: CliIo): Promise<number> {
  let run = await client.request<RunJson>('GET', `/api/v1/runs/${runId}`);
  const progress = bar(io, `Run ${runId} |{bar}| {value}/{total} items | {status}`);
  progress.start(run.totalItems ?? 0, run.doneItems, { status: run.status });
  try {
    while (!FINISHED.has(run.status)) {
      await sleep(POLL_MS, io.signal);
      if (io.signal?.aborted) throw new PlatformCliError(`stopped watching; the run goes on (spinebench status ${runId})`, EXIT.interrupted);
      run = await client.request<RunJson>('GET', `/api/v1/runs/${runId}`);
      if (run.totalItems !== null) progress.setTotal(run.totalItems);
      progress.update(run.doneItems, { status: run.status });
    }
  } finally {
    progress.stop();
  }
  io.stdout.write(describeRun(run));
  return exitForRun(run);
}

interface BoardJson {
  release: { slug: string };
  view: string;
  columns: Array<{ key: string; label: string }>;
  rows: Array<{ rank: number | null; model: string; team: string; baseline: boolean; runId: number; items: number; evaluated: string; scores: Record<string, { score: number; low: number | null; high: number | null } | null> }>;
}

function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  // A name a spreadsheet would run as a formula is prefixed with an apostrophe (OWASP CSV injection).
  const s = typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : String(value);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Pure: the board as CSV (identity, then score, low and high of each column). */
export function boardCsv(board: BoardJson): string {
  const header = ['rank', 'model', 'team', 'baseline', 'runId', 'items', 'evaluated', ...board.columns.flatMap((c) => [c.key, `${c.key}_low`, `${c.key}_high`])];
  const rows = board.rows.map((r) => [r.rank, r.model, r.team, r.baseline, r.runId, r.items, r.evaluated, ...board.columns.flatMap((c) => [r.scores[c.key]?.score, r.scores[c.key]?.low, r.scores[c.key]?.high])]);
  return [header, ...rows].map((line) => line.map(csvField).join(',')).join('\n') + '\n';
}

/** Pure: the board as an aligned text table (rank, model, team and up to five score columns). */
export function boardTable(board: BoardJson): string {
  const cols = board.columns.slice(0, 5);
  const header = ['Rank', 'Model', 'Team', ...cols.map((c) => c.label)];
  const rows = board.rows.map((r) => [r.rank === null ? '—' : String(r.rank), r.model + (r.baseline ? ' (baseline)' : ''), r.team, ...cols.map((c) => (r.scores[c.key] ? r.scores[c.key]!.score.toFixed(1) : '—'))]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (cells: string[]) => cells.map((c, i) => (i >= 3 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [`${board.release.slug} · ${board.view}`, fmt(header), ...rows.map(fmt), ...(rows.length === 0 ? ['(no ranked runs yet)'] : [])].join('\n') + '\n';
}

async function leaderboard(client: ApiClient, release: string, view: string, csv: boolean, io: CliIo): Promise<number> {
  const board = await client.request<BoardJson>('GET', `/api/v1/releases/${encodeURIComponent(release)}/board?view=${view}`);
  io.stdout.write(csv ? boardCsv(board) : boardTable(board));
  return EXIT.ok;
}

async function readStdin(io: CliIo): Promise<string> {
  if (process.stdin.isTTY) io.stderr.write('Paste your team API token (sbh_…) and press Enter: ');
  let text = '';
  for await (const chunk of process.stdin) {
    text += chunk;
    if (process.stdin.isTTY && text.includes('\n')) break;
  }
  return text.trim();
}

/** Checks the token against the platform (unknown or revoked: refused, nothing stored), then stores it. */
async function login(flagToken: string | null, url: string, io: CliIo): Promise<number> {
  const token = flagToken ?? (await readStdin(io));
  if (!token) throw new PlatformCliError('no token given: pass --token TOKEN or pipe it on stdin.', EXIT.usage);
  const client = createClient(url, token);
  let team = '';
  try {
    const runs = await client.request<{ team: { name: string } }>('GET', '/api/v1/team/runs', { auth: true });
    team = runs.team.name;
  } catch (e) {
    // 403 = a valid token without the read scope: still a login.
    if ((e as { status?: number }).status !== 403) throw e;
  }
  const file = await saveLogin(io.env, { url, token });
  io.stdout.write(`Logged in to ${url}${team ? ` as team ${team}` : ' (a token without the read scope)'}; saved to ${file}.\n`);
  return EXIT.ok;
}
