import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEMO_RELEASE_DIR } from './demo-release';

export interface RunningProcess {
  child: ChildProcess;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Spawns a TypeScript entry point with tsx and waits until its output matches `ready`. */
export async function spawnTs(entry: string, env: Record<string, string>, ready: RegExp, timeoutMs = 60_000, args: string[] = []) {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const match = await new Promise<RegExpMatchArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${entry} not ready in ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const check = () => {
      const m = ready.exec(out);
      if (m) (clearTimeout(timer), resolve(m));
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`${entry} exited with ${code}:\n${out}`))));
  });
  const proc: RunningProcess = {
    child,
    output: () => out,
    stop: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
  return { proc, match };
}

export interface PlatformOptions {
  databaseUrl?: string;
  redisUrl?: string;
  extraEnv?: Record<string, string>;
}

/** Starts the real platform server (server/index.ts) on a free port; returns its base URL. */
export async function startPlatform(opts: PlatformOptions) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'sbh-data-'));
  const env: Record<string, string> = {
    PORT: '0',
    DATA_DIR: dataDir,
    DATABASE_URL: opts.databaseUrl ?? '',
    REDIS_URL: opts.redisUrl ?? '',
    // The fake team endpoints of the tests listen on loopback, which the SSRF guard refuses by default.
    ENDPOINT_ALLOW_LIST: '127.0.0.1',
    DEMO_RELEASE_DIR,
    ...opts.extraEnv,
  };
  const { proc, match } = await spawnTs('server/index.ts', env, /ready at (http:\/\/[^\s"]+)/);
  return { baseUrl: match[1], proc, dataDir, env };
}

/** A standalone worker (workers/cli.ts); `args` e.g. ['--queues', 'onnx,scoring']. */
export async function startWorker(env: Record<string, string>, args: string[] = []) {
  const { proc } = await spawnTs('workers/cli.ts', env, /worker ready/, 60_000, args);
  return proc;
}
