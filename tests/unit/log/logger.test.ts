import express from 'express';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { formatPretty } from '../../../log/format';
import { chooseLogFormat, configureLogging, log, withLogContext } from '../../../log/logger';
import { throttledReporter } from '../../../log/throttled';
import { acceptableRequestId, requestIds } from '../../../server/web/request-ids';

let lines: string[] = [];
const capture = (format: 'json' | 'pretty', level: 'info' | 'debug' | 'warn' = 'info') => {
  lines = [];
  configureLogging({ format, level, write: (line) => lines.push(line) });
};
const records = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);

afterEach(() => configureLogging({ level: 'info', format: 'json', write: (line) => process.stdout.write(line) }));

describe('logger', () => {
  it("writes pino's JSON record shape: numeric level, time, msg, bindings, err with type, message and stack", () => {
    capture('json');
    log.child({ component: 'janitor' }).error({ runId: 7, err: new TypeError('boom') }, 'tick failed');
    log.warn(new Error('plain'), 'first argument an error');
    log.info('just a message');
    const [first, second, third] = records();
    expect(first).toMatchObject({ level: 50, component: 'janitor', runId: 7, msg: 'tick failed', err: { type: 'TypeError', message: 'boom' } });
    expect(typeof first.time).toBe('number');
    expect((first.err as { stack: string }).stack).toContain('TypeError: boom');
    expect(second).toMatchObject({ level: 40, msg: 'first argument an error', err: { message: 'plain' } });
    expect(third).toMatchObject({ level: 30, msg: 'just a message' });
  });

  it('drops records below the level', () => {
    capture('json', 'warn');
    log.info('hidden');
    log.debug('hidden too');
    log.warn('shown');
    expect(records().map((r) => r.msg)).toEqual(['shown']);
  });

  it('adds the context bindings (request, run, job) across awaits, and only inside the context', async () => {
    capture('json');
    await withLogContext({ runId: 3 }, async () => {
      await new Promise((r) => setTimeout(r, 5));
      await withLogContext({ jobId: 'run-3-shard-0' }, async () => log.info('inner'));
      log.info('outer');
    });
    log.info('outside');
    expect(records().map(({ runId, jobId, msg }) => ({ runId, jobId, msg }))).toEqual([
      { runId: 3, jobId: 'run-3-shard-0', msg: 'inner' },
      { runId: 3, jobId: undefined, msg: 'outer' },
      { runId: undefined, jobId: undefined, msg: 'outside' },
    ]);
  });

  it('reads as a line for people: time, level, message, fields, the stack underneath', () => {
    const line = formatPretty({ level: 50, time: Date.UTC(2026, 0, 2, 3, 4, 5, 6), msg: 'run failed', runId: 4, note: 'two words', err: { message: 'x', stack: 'Error: x\n    at f' } });
    expect(line).toBe('03:04:05.006 ERROR run failed runId=4 note="two words"\n    Error: x\n        at f\n');
  });

  it('is JSON unless asked, at a terminal, or in development', () => {
    expect(chooseLogFormat(undefined, 'production', false)).toBe('json');
    expect(chooseLogFormat(undefined, 'production', true)).toBe('pretty');
    expect(chooseLogFormat(undefined, 'development', false)).toBe('pretty');
    expect(chooseLogFormat('json', 'development', true)).toBe('json');
  });

  it('reports a repeating error once per interval with the count left out', () => {
    let now = 0;
    const seen: [string, number][] = [];
    const report = throttledReporter<string>(1000, (e, suppressed) => seen.push([e, suppressed]), () => now);
    report('a');
    now = 500;
    report('b');
    report('c');
    now = 1500;
    report('d');
    expect(seen).toEqual([['a', 0], ['d', 2]]);
  });
});

describe('request ids', () => {
  it('keeps a sane X-Request-Id and refuses one that could forge log lines', () => {
    expect(acceptableRequestId('abc-123_x.y:z')).toBe('abc-123_x.y:z');
    expect(acceptableRequestId('a b')).toBeUndefined();
    expect(acceptableRequestId('x\n{"level":60}')).toBeUndefined();
    expect(acceptableRequestId('x'.repeat(129))).toBeUndefined();
  });

  it('answers the id and puts it on records logged while the request is handled', async () => {
    capture('json');
    const app = express();
    app.use(requestIds());
    app.get('/work', async (_req, res) => {
      await new Promise((r) => setTimeout(r, 5));
      log.info('handling');
      res.send('ok');
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const given = await fetch(`${base}/work`, { headers: { 'x-request-id': 'proxy-42' } });
      const made = await fetch(`${base}/work`);
      expect(given.headers.get('x-request-id')).toBe('proxy-42');
      expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(records().map((r) => r.requestId)).toEqual(['proxy-42', made.headers.get('x-request-id')]);
    } finally {
      server.close();
    }
  });
});
