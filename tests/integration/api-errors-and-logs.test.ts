import type { AppLoadContext, ServerBuild } from '@remix-run/node';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureLogging, withLogContext } from '../../log/logger';
import { startPlatform } from '../support/processes';

/** The old JSON API answers its errors in the API's shape; the server logs JSON records with request ids. */
describe('JSON API errors and server logs (embedded defaults)', () => {
  let platform: Awaited<ReturnType<typeof startPlatform>>;

  beforeAll(async () => {
    platform = await startPlatform({ extraEnv: { SEED_DEMO: '0', LOG_FORMAT: 'json', ADMIN_EMAILS: 'lead@example.org' } });
  });
  afterAll(async () => {
    await platform?.proc.stop();
    if (platform) await rm(platform.dataDir, { recursive: true, force: true });
  });

  it.each([
    ['/api/runs/999999', 'No such run.'],
    ['/api/runs/not-a-number', 'No such run.'],
    ['/api/leaderboard/no-such-release', 'No published release "no-such-release".'],
  ])('%s answers 404 with a JSON body that says what was not found', async (path, message) => {
    const res = await fetch(`${platform.baseUrl}${path}`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(await res.json()).toEqual({ error: { code: 'not_found', message } });
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('echoes a proxy-given request id', async () => {
    const res = await fetch(`${platform.baseUrl}/api/runs/1`, { headers: { 'x-request-id': 'edge-7f3a' } });
    expect(res.headers.get('x-request-id')).toBe('edge-7f3a');
  });

  it('logs one JSON record per line, the ready record carrying what an operator needs', () => {
    const lines = platform.proc.output().split('\n').filter((l) => l.trim() !== '');
    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const ready = records.find((r) => typeof r.msg === 'string' && r.msg.startsWith('SpineBench Hub ready at http://'));
    expect(ready).toMatchObject({
      level: 30,
      database: expect.stringMatching(/^embedded PGlite in /),
      queue: 'in-process (jobs run in this process)',
      maintainerArea: 'off until one of the 1 ADMIN_EMAILS address signs up and verifies',
      endpointAllowList: ['127.0.0.1'],
    });
  });
});

describe('the Remix build logs through the same logger as the server', () => {
  it("shares the level, output and request context with the build's bundled copy of log/", async () => {
    const lines: string[] = [];
    configureLogging({ format: 'json', level: 'info', write: (line) => lines.push(line) });
    try {
      const build = (await import(path.resolve('build/server/index.js'))) as ServerBuild;
      const handleError = build.entry.module.handleError!;
      await withLogContext({ requestId: 'req-from-express' }, async () => {
        handleError(new Error('loader broke'), { request: new Request('http://hub.test/runs/5'), params: {}, context: {} as AppLoadContext });
      });
      const [record] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(record).toMatchObject({ level: 50, requestId: 'req-from-express', path: '/runs/5', err: { message: 'loader broke' } });
    } finally {
      configureLogging({ write: (line) => process.stdout.write(line) });
    }
  });
});
