import { mkdir, mkdtemp, rm, symlink, utimes } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUploadStore, parseContentRange, UploadError } from '../../app/utils/chunked-uploads.server';
import { resolveSharedBundlePath } from '../../app/utils/shared-bundles.server';
import { readdir, readFile } from 'node:fs/promises';

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'upload-paths-'));
});
afterAll(async () => rm(tmp, { recursive: true, force: true }));

describe('parseContentRange', () => {
  it('reads start, end and total (or unknown total)', () => {
    expect(parseContentRange('bytes 0-99/1000')).toEqual({ start: 0, end: 99, total: 1000 });
    expect(parseContentRange('bytes 100-199/*')).toEqual({ start: 100, end: 199, total: null });
  });
  it('refuses malformed or inconsistent ranges', () => {
    for (const bad of [null, '', 'bytes=0-99/1000', 'bytes 99-0/1000', 'bytes 0-1000/1000', 'items 0-1/2']) expect(parseContentRange(bad)).toBeNull();
  });
});

describe('chunked upload store', () => {
  const chunk = (s: string) => Readable.from([Buffer.from(s)]);

  it('appends chunks at the current offset and refuses a chunk at the wrong offset with the offset to resume from', async () => {
    const store = createUploadStore(path.join(tmp, 'u1'), 1000);
    const up = await store.create(10);
    expect((await store.append(up.id, 0, chunk('abcd'), 4)).offset).toBe(4);
    const wrong = await store.append(up.id, 0, chunk('abcd'), 4).catch((e) => e);
    expect(wrong).toBeInstanceOf(UploadError);
    expect([wrong.status, wrong.offset]).toEqual([409, 4]);
    expect((await store.append(up.id, 4, chunk('efghij'), 6)).offset).toBe(10);
    expect(await readFile(store.partPath(up.id), 'utf8')).toBe('abcdefghij');
  });

  it('sweeps uploads idle for longer than the limit and keeps the active ones', async () => {
    const store = createUploadStore(path.join(tmp, 'sweep'), 1000);
    const abandoned = await store.create(10);
    const active = await store.create(10);
    await store.append(abandoned.id, 0, chunk('ab'), 2);
    await store.append(active.id, 0, chunk('ab'), 2);
    // The abandoned upload was last touched two hours ago.
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
    for (const file of [`${abandoned.id}.part`, `${abandoned.id}.json`]) await utimes(path.join(store.dir, file), twoHoursAgo, twoHoursAgo);
    expect(await store.sweepIdle(3 * 3_600_000)).toEqual([]);
    expect(await store.sweepIdle(3_600_000)).toEqual([abandoned.id]);
    expect(await store.status(abandoned.id)).toBeNull();
    expect(await readdir(store.dir)).toEqual([`${active.id}.json`, `${active.id}.part`].sort());
    expect((await store.status(active.id))?.offset).toBe(2);
  });

  it('keeps what arrived of a chunk cut off midway, so the client resumes from there', async () => {
    const store = createUploadStore(path.join(tmp, 'u2'), 1000);
    const up = await store.create(8);
    const cut = new Readable({ read() {} });
    cut.push(Buffer.from('abc'));
    setTimeout(() => cut.destroy(new Error('socket hang up')), 10);
    expect((await store.append(up.id, 0, cut, 8)).offset).toBe(3);
    expect((await store.append(up.id, 3, chunk('defgh'), 5)).offset).toBe(8);
    expect(await readFile(store.partPath(up.id), 'utf8')).toBe('abcdefgh');
  });

  it('refuses an upload over the limit up front, and removes one that grows past it', async () => {
    const dir = path.join(tmp, 'u3');
    const store = createUploadStore(dir, 5);
    await expect(store.create(6)).rejects.toMatchObject({ status: 413 });
    const up = await store.create();
    await expect(store.append(up.id, 0, chunk('abcdefg'), null)).rejects.toMatchObject({ status: 413 });
    expect(await store.status(up.id)).toBeNull();
    expect(await readdir(dir)).toEqual([]);
  });

  it('knows nothing of ids that are not its own (no path tricks)', async () => {
    const store = createUploadStore(path.join(tmp, 'u4'), 100);
    expect(await store.status('../../etc/passwd')).toBeNull();
    await expect(store.append('../x', 0, chunk('a'), 1)).rejects.toMatchObject({ status: 404 });
  });
});

describe('resolveSharedBundlePath', () => {
  it('accepts a folder under the root and refuses escapes by .., absolute paths and symbolic links', async () => {
    const root = path.join(tmp, 'shared');
    await mkdir(path.join(root, 'team-a', 'model'), { recursive: true });
    await mkdir(path.join(tmp, 'outside'), { recursive: true });
    await symlink(path.join(tmp, 'outside'), path.join(root, 'sneaky'));
    const ok = await resolveSharedBundlePath(root, 'team-a/model');
    expect(ok).toEqual({ ok: true, dir: path.join(root, 'team-a', 'model') });
    for (const bad of ['../outside', '/etc', 'team-a/../../outside', 'sneaky', '.', '', 'missing']) {
      const r = await resolveSharedBundlePath(root, bad);
      expect(r.ok, bad).toBe(false);
      if (!r.ok) expect(r.message).toMatch(/^path: /);
    }
  });
});
