/**
 * Where the CLI keeps what `spinebench login` stored: config.json in the user's config folder (env-paths:
 * $XDG_CONFIG_HOME/spinebench or ~/.config/spinebench on Linux, ~/Library/Preferences/spinebench on macOS,
 * %APPDATA%\spinebench\Config on Windows), the folder 0700 and the file 0600. SPINEBENCH_URL and
 * SPINEBENCH_TOKEN override it; --url overrides both.
 */
import envPaths from 'env-paths';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const DEFAULT_URL = 'http://localhost:3000';

export interface StoredLogin {
  url: string;
  token: string;
}

export function configFile(env: Record<string, string | undefined>): string {
  // env-paths reads XDG_CONFIG_HOME from process.env; a caller's env (tests) decides here too.
  const base = env.XDG_CONFIG_HOME && process.platform !== 'darwin' && process.platform !== 'win32' ? path.join(env.XDG_CONFIG_HOME, 'spinebench') : envPaths('spinebench', { suffix: '' }).config;
  return path.join(base, 'config.json');
}

export async function readLogin(env: Record<string, string | undefined>): Promise<Partial<StoredLogin>> {
  try {
    const value = JSON.parse(await readFile(configFile(env), 'utf8')) as Partial<StoredLogin>;
    return { url: typeof value.url === 'string' ? value.url : undefined, token: typeof value.token === 'string' ? value.token : undefined };
  } catch {
    return {};
  }
}

/** Writes the login with owner-only permissions (a temporary file renamed into place, so it is never world-readable). */
export async function saveLogin(env: Record<string, string | undefined>, login: StoredLogin): Promise<string> {
  const file = configFile(env);
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(login, null, 2)}\n`, { mode: 0o600 });
  await chmod(temp, 0o600);
  await rename(temp, file);
  return file;
}

export interface ResolvedConnection {
  url: string;
  token: string | null;
}

/** --url, then SPINEBENCH_URL, then the stored login, then the default; SPINEBENCH_TOKEN, then the stored token. */
export async function resolveConnection(flagUrl: string | null, env: Record<string, string | undefined>): Promise<ResolvedConnection> {
  const stored = await readLogin(env);
  const url = flagUrl ?? (env.SPINEBENCH_URL || undefined) ?? stored.url ?? DEFAULT_URL;
  return { url: url.replace(/\/+$/, ''), token: env.SPINEBENCH_TOKEN || stored.token || null };
}
