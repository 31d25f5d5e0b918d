import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildSourceHash } from '../../../server/start/source-hash';
import { startupSummary, withoutPassword } from '../../../server/start/startup-summary';

describe('build source hash', () => {
  let dir = '';
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const inputs = { folders: ['app'], files: ['vite.config.ts'] };

  it('is stable while nothing changes and moves when a source, a new file or a config file does', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'source-hash-'));
    await mkdir(path.join(dir, 'app/routes'), { recursive: true });
    await writeFile(path.join(dir, 'app/routes/a.tsx'), 'export default 1;');
    await writeFile(path.join(dir, 'vite.config.ts'), 'export default {};');
    const first = await buildSourceHash(dir, inputs);
    expect(await buildSourceHash(dir, inputs)).toBe(first);

    await writeFile(path.join(dir, 'app/routes/a.tsx'), 'export default 2;');
    const edited = await buildSourceHash(dir, inputs);
    expect(edited).not.toBe(first);

    await writeFile(path.join(dir, 'app/routes/b.tsx'), '');
    const added = await buildSourceHash(dir, inputs);
    expect(added).not.toBe(edited);

    await writeFile(path.join(dir, 'vite.config.ts'), 'export default { base: "/" };');
    expect(await buildSourceHash(dir, inputs)).not.toBe(added);
  });

  it('tells a renamed file from an unchanged one', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'source-hash-'));
    await mkdir(path.join(dir, 'app'), { recursive: true });
    await writeFile(path.join(dir, 'app/a.ts'), 'x');
    const before = await buildSourceHash(dir, inputs);
    await rm(path.join(dir, 'app/a.ts'));
    await writeFile(path.join(dir, 'app/b.ts'), 'x');
    expect(await buildSourceHash(dir, inputs)).not.toBe(before);
  });
});

describe('startup summary', () => {
  it('hides passwords but keeps user and host', () => {
    expect(withoutPassword('postgres://spine:s3cret@db.example:5432/hub')).toBe('postgres://spine:***@db.example:5432/hub');
    expect(withoutPassword('redis://cache:6379')).toBe('redis://cache:6379');
  });

  it('names the database, queue, maintainer area and allow-list of a Redis deployment', () => {
    const { lines, fields } = startupSummary({
      url: 'http://0.0.0.0:3000',
      database: { kind: 'postgres', url: 'postgres://spine:s3cret@db:5432/hub', dataDir: '/srv/.data' },
      queue: { kind: 'bullmq', url: 'redis://:hunter2@redis:6379', role: 'web' },
      maintainers: 2,
      adminEmails: 1,
      endpointAllowList: ['10.0.0.0/8', 'vllm.internal'],
    });
    const text = lines.join('\n');
    expect(lines[0]).toBe('SpineBench Hub ready at http://0.0.0.0:3000');
    expect(text).not.toMatch(/s3cret|hunter2/);
    expect(fields.database).toBe('PostgreSQL postgres://spine:***@db:5432/hub');
    expect(fields.queue).toMatch(/^Redis redis:\/\/:\*\*\*@redis:6379 .*npm run worker/);
    expect(fields.maintainerArea).toBe('on (2 maintainers)');
    expect(text).toContain('endpoint allow-list: 10.0.0.0/8, vllm.internal');
  });

  it('says how to turn the maintainer area on when nobody can open it', () => {
    const facts = {
      url: 'http://127.0.0.1:3000',
      database: { kind: 'pglite' as const, dataDir: '/home/u/.data' },
      queue: { kind: 'in-process' as const, role: 'all' as const },
      maintainers: 0,
      adminEmails: 0,
      endpointAllowList: [],
    };
    const none = startupSummary(facts).fields;
    expect(none.database).toBe('embedded PGlite in /home/u/.data');
    expect(none.queue).toBe('in-process (jobs run in this process)');
    expect(none.maintainerArea).toMatch(/^off .*ADMIN_EMAILS.*npm run accounts -- maintainer EMAIL/);
    expect(startupSummary({ ...facts, adminEmails: 2 }).fields.maintainerArea).toBe(
      'off until one of the 2 ADMIN_EMAILS addresses signs up and verifies',
    );
  });
});
