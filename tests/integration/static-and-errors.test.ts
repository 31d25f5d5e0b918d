import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type RunningProcess } from '../support/processes';

// The real server on embedded defaults, without the demo: static files and error pages need no data.
let proc: RunningProcess;
let baseUrl: string;

beforeAll(async () => {
  // As deployed: vitest's NODE_ENV=test would put Remix in its test mode, which keeps error details in pages.
  const started = await startPlatform({ extraEnv: { SEED_DEMO: '0', NODE_ENV: 'production' } });
  proc = started.proc;
  baseUrl = started.baseUrl;
}, 120_000);
afterAll(async () => {
  await proc?.stop();
});

describe('public/ files, hashed assets and error pages', () => {
  it('serves the favicon from public/ with a short max-age, and hashed build assets as immutable for a year', async () => {
    for (const [path, type] of [['/favicon.ico', 'image/x-icon'], ['/favicon.svg', 'image/svg+xml']]) {
      const res = await fetch(`${baseUrl}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toContain(type);
      expect(res.headers.get('cache-control')).toBe('public, max-age=3600');
      expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(100);
    }
    const asset = readdirSync('build/client/assets').find((f) => f.endsWith('.js'))!;
    const res = await fetch(`${baseUrl}/assets/${asset}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    // Every page links the icon, so browsers stop asking for a missing one.
    expect(await (await fetch(`${baseUrl}/leaderboard`)).text()).toContain('<link rel="icon" href="/favicon.svg" type="image/svg+xml"/>');
  });

  it('answers 404 pages whose title and text say what was not found, without a stack trace in the log', async () => {
    const before = proc.output().length;
    const cases = [
      ['/nowhere/at/all', 'Not found: No page at /nowhere/at/all · SpineBench Hub'],
      ['/models/987654', 'Not found: No model #987654 · SpineBench Hub'],
      ['/leaderboard/nope@9', 'Not found: No published release &quot;nope@9&quot; · SpineBench Hub'],
      ['/robots.txt', 'Not found: No page at /robots.txt · SpineBench Hub'],
    ];
    for (const [path, title] of cases) {
      const res = await fetch(`${baseUrl}${path}`);
      expect(res.status, path).toBe(404);
      const html = await res.text();
      expect(html).toContain(`<title>${title}</title>`);
      expect(html).toContain('data-testid="error-page"');
      expect(html).not.toMatch(/at [\w.]+ \(\/|node_modules/);
    }
    await new Promise((r) => setTimeout(r, 200));
    const log = proc.output().slice(before);
    expect(log).not.toMatch(/No route matches|ErrorResponse|\n\s+at /);
  });
});
