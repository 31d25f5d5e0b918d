/**
 * The `spinebench` platform commands (submit, status, leaderboard, login) run as child processes
 * (node bin/spinebench.js) against a real server on real Postgres, with a fake OpenAI-compatible endpoint
 * as the team's model. Checks outputs, the stored login (0600) and each documented exit code.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAs, verifiedAccount, type Account } from '../support/accounts';
import { createApiToken, createTeam, postTeamForm, tokenIdOnPage } from '../support/api-tokens';
import { folderEntries, tarGzBuffer } from '../support/archives';
import { DEMO_RELEASE } from '../support/demo-oracle';
import { startFakeEndpoint, type FakeEndpoint } from '../support/fake-chat-endpoint';
import { startPlatform, type RunningProcess } from '../support/processes';
import { createTestDatabase, realServicesAvailable } from '../support/services';

const servicesUp = await realServicesAvailable();

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

describe('spinebench submit/status/leaderboard/login against a real server', () => {
  let platform: { baseUrl: string; proc: RunningProcess };
  let baseUrl = '';
  let sql: postgres.Sql | undefined;
  let dropDb: (() => Promise<void>) | undefined;
  let endpoint: FakeEndpoint | undefined;
  let tmp = '';
  let owner: Account;
  let teamId = 0;
  let token = '';
  let readOnly = '';
  let endpointRun = 0;

  function cli(args: string[], env: Record<string, string> = {}, stdin?: string): Promise<CliResult> {
    return new Promise((resolve) => {
      const child = execFile(
        process.execPath,
        ['bin/spinebench.js', ...args],
        {
          // Only what the CLI should see: no token from the test's own environment.
          env: { PATH: process.env.PATH ?? '', HOME: tmp, XDG_CONFIG_HOME: path.join(tmp, 'config'), SPINEBENCH_URL: baseUrl, ...env } as unknown as NodeJS.ProcessEnv,
          timeout: 120_000,
        },
        (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
      child.stdin?.end(stdin ?? '');
    });
  }

  beforeAll(async () => {
    if (!servicesUp) return;
    tmp = await mkdtemp(path.join(os.tmpdir(), 'cli-platform-'));
    const database = await createTestDatabase();
    dropDb = database.drop;
    endpoint = await startFakeEndpoint(() => ({ content: 'Answer: B' }));
    const started = await startPlatform({ databaseUrl: database.url, extraEnv: { ONNX_UPLOAD_MAX_BYTES: String(8 * 1024 * 1024) } });
    platform = { baseUrl: started.baseUrl, proc: started.proc };
    baseUrl = started.baseUrl;
    sql = postgres(database.url, { max: 1, onnotice: () => {} });
    owner = await verifiedAccount(platform);
    teamId = await createTeam(baseUrl, owner, 'Cli Lab');
    token = await createApiToken(baseUrl, owner, teamId, 'laptop', ['submit', 'read']);
    readOnly = await createApiToken(baseUrl, owner, teamId, 'dashboard', ['read']);
  }, 120_000);
  afterAll(async () => {
    await sql?.end();
    await platform?.proc.stop();
    await endpoint?.close();
    await dropDb?.();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it.runIf(servicesUp)('--help documents the commands and exit codes; bad arguments exit 2 naming the flag', async () => {
    const help = await cli(['submit', '--help']);
    expect(help.code).toBe(0);
    for (const word of ['submit --endpoint URL', '--onnx FILE', 'status RUN', 'leaderboard RELEASE', 'login', 'SPINEBENCH_TOKEN', 'Exit codes']) expect(help.stdout).toContain(word);
    const top = await cli(['--help']);
    expect(top.stdout).toContain('spinebench eval');
    expect(top.stdout).toContain('spinebench submit');
    const noSource = await cli(['submit', '--release', DEMO_RELEASE]);
    expect(noSource.code).toBe(2);
    expect(noSource.stderr).toMatch(/--endpoint URL .* or --onnx FILE/);
    expect((await cli(['status', 'abc'])).stderr).toMatch(/run id must be a positive whole number \(got "abc"\)/);
    const wrongFlag = await cli(['leaderboard', DEMO_RELEASE, '--watch']);
    expect(wrongFlag.code).toBe(2);
    expect(wrongFlag.stderr).toContain('--watch does not apply to "leaderboard"');
  });

  it.runIf(servicesUp)('without a usable token: exit 3 and a message saying what to do; login refuses a bad token and stores nothing', async () => {
    const args = ['submit', '--endpoint', `${endpoint!.url}/v1`, '--release', DEMO_RELEASE];
    const none = await cli(args);
    expect(none.code).toBe(3);
    expect(none.stderr).toMatch(/spinebench login.*SPINEBENCH_TOKEN/);
    const scope = await cli(args, { SPINEBENCH_TOKEN: readOnly });
    expect(scope.code).toBe(3);
    expect(scope.stderr).toContain('lacks the "submit" scope');
    const bad = await cli(['login', '--token', 'sbh_made-up']);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/Unknown API token/);
    await expect(stat(path.join(tmp, 'config', 'spinebench', 'config.json'))).rejects.toThrow();
  });

  it.runIf(servicesUp)('login stores the token (0600) from stdin; submit --endpoint --watch uses it and follows the run to success', async () => {
    const login = await cli(['login'], {}, `${token}\n`);
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout).toContain('as team Cli Lab');
    const file = path.join(tmp, 'config', 'spinebench', 'config.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ url: baseUrl, token });

    const submitted = await cli(['submit', '--endpoint', `${endpoint!.url}/v1`, '--endpoint-model', 'served-model', '--model-name', 'cli-model', '--release', DEMO_RELEASE, '--watch']);
    expect(submitted.code, submitted.stderr).toBe(0);
    endpointRun = Number(/Submitted: run (\d+)/.exec(submitted.stdout)?.[1]);
    expect(endpointRun).toBeGreaterThan(0);
    expect(submitted.stdout).toMatch(/Status: succeeded · (\d+)\/\1 items · score \d+\.\d/);
    expect(endpoint!.requests.some((r) => r.model === 'served-model')).toBe(true);

    const status = await cli(['status', String(endpointRun), '--json']);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ id: endpointRun, status: 'succeeded', modelName: 'cli-model', teamName: 'Cli Lab', split: 'dev' });
  }, 150_000);

  it.runIf(servicesUp)('submit --onnx uploads the archive in chunks and queues the run', async () => {
    const archive = path.join(tmp, 'tiny-vlm.tar.gz');
    await writeFile(archive, tarGzBuffer(await folderEntries(path.resolve('tests/fixtures/tiny-vlm'), 'tiny-vlm')));
    const res = await cli(['submit', '--onnx', archive, '--release', DEMO_RELEASE, '--chunk-mb', '0.05']);
    expect(res.code, res.stderr).toBe(0);
    const runId = Number(/Submitted: run (\d+)/.exec(res.stdout)?.[1]);
    const [row] = await sql!`select m.name, s.split from evaluation_runs r join submissions s on s.id = r.submission_id join models m on m.id = s.model_id where r.id = ${runId}`;
    expect(row).toEqual({ name: 'tiny-vlm', split: 'dev' });
    const missing = await cli(['submit', '--onnx', path.join(tmp, 'nope.tar.gz'), '--release', DEMO_RELEASE]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file');
    const wrongRelease = await cli(['submit', '--onnx', archive, '--release', 'no-such@1']);
    expect(wrongRelease.code).toBe(4);
    expect(wrongRelease.stderr).toMatch(/Release "no-such@1".*\[release\]/);
  }, 120_000);

  it.runIf(servicesUp)('status: a failed run exits 5, an unknown run 4; a revoked token exits 3', async () => {
    expect(endpointRun).toBeGreaterThan(0);
    const unknown = await cli(['status', '987654']);
    expect(unknown.code).toBe(4);
    expect(unknown.stderr).toContain('No such run');
    await sql!`update evaluation_runs set status = 'failed', error_code = 'endpoint_unreachable', error_message = 'connection refused' where id = ${endpointRun}`;
    const failed = await cli(['status', String(endpointRun)]);
    expect(failed.code).toBe(5);
    expect(failed.stdout).toContain('Error: endpoint_unreachable: connection refused');

    const page = await getAs(baseUrl, `/teams/${teamId}`, owner.cookie);
    await postTeamForm(baseUrl, teamId, [['intent', 'revoke-token'], ['tokenId', String(tokenIdOnPage(page.text, 'laptop'))]], owner.cookie);
    const revoked = await cli(['submit', '--endpoint', `${endpoint!.url}/v1`, '--release', DEMO_RELEASE]);
    expect(revoked.code).toBe(3);
    expect(revoked.stderr).toContain('was revoked');
  });

  it.runIf(servicesUp)('leaderboard prints the board, as CSV with --csv; an unknown release exits 4', async () => {
    const table = await cli(['leaderboard', DEMO_RELEASE]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout.split('\n')[0]).toBe(`${DEMO_RELEASE} · overview`);
    expect(table.stdout.split('\n')[1]).toMatch(/^Rank\s+Model\s+Team\s+Overall/);
    const csv = await cli(['leaderboard', DEMO_RELEASE, '--view', 'levels', '--csv']);
    expect(csv.code).toBe(0);
    expect(csv.stdout.split('\n')[0]).toMatch(/^rank,model,team,baseline,runId,items,evaluated,/);
    const api = await (await fetch(`${baseUrl}/api/v1/releases/${encodeURIComponent(DEMO_RELEASE)}/board?view=levels`)).json();
    expect(csv.stdout.trim().split('\n')).toHaveLength(api.rows.length + 1);
    const unknown = await cli(['leaderboard', 'no-such@1']);
    expect(unknown.code).toBe(4);
    expect(unknown.stderr).toContain('No published release "no-such@1"');
    const offline = await cli(['leaderboard', DEMO_RELEASE], { SPINEBENCH_URL: 'http://127.0.0.1:9' });
    expect(offline.code).toBe(1);
    expect(offline.stderr).toContain('cannot reach http://127.0.0.1:9');
  });
});
