import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArchiveRefusedError, extractArchive, type ExtractLimits } from '../../benchmark/archive/extract-archive';
import { validateBundle } from '../../evaluator/onnx/validate-bundle';
import { folderEntries, renameInZip, tarBuffer, tarGzBuffer, zipBuffer } from '../support/archives';

const FIXTURE = path.resolve('tests/fixtures/tiny-vlm');
const LIMITS: ExtractLimits = { maxArchiveBytes: 20 * 1024 * 1024, maxTotalBytes: 40 * 1024 * 1024, maxFileBytes: 40 * 1024 * 1024, maxEntries: 50, maxCompressionRatio: 100 };
let tmp: string;
let n = 0;

/** Writes the archive into its own folder, so the test can see that nothing else appears there. */
async function place(content: Buffer, name: string): Promise<{ archive: string; dest: string; folder: string }> {
  // mkdtemp's own answer names the folder: matching on the prefix would take case1… for case10….
  const folder = await mkdtemp(path.join(tmp, `case${n++}-`));
  await writeFile(path.join(folder, name), content);
  return { archive: path.join(folder, name), dest: path.join(folder, 'bundle'), folder };
}

async function expectRefusedLeavingNothing(content: Buffer, name: string, code: string, limits = LIMITS): Promise<ArchiveRefusedError> {
  const { archive, dest, folder } = await place(content, name);
  const error = await extractArchive(archive, dest, limits).then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(ArchiveRefusedError);
  expect((error as ArchiveRefusedError).code).toBe(code);
  expect(await readdir(folder)).toEqual([name]); // no bundle, no temporary folder
  return error as ArchiveRefusedError;
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'onnx-extract-'));
});
afterAll(async () => rm(tmp, { recursive: true, force: true }));

describe('extractArchive: honest uploads', () => {
  it('extracts a tar.gz of the fixture wrapped in one folder, and the bundle validates', async () => {
    const entries = await folderEntries(FIXTURE, 'tiny-vlm');
    const { archive, dest } = await place(tarGzBuffer([{ path: 'tiny-vlm/', type: 'Directory' }, ...entries]), 'model.tar.gz');
    const result = await extractArchive(archive, dest, LIMITS);
    expect(result).toMatchObject({ kind: 'tar.gz', files: entries.length, root: dest });
    expect(result.totalBytes).toBe(entries.reduce((s, e) => s + e.data.length, 0));
    expect((await validateBundle(dest, { memoryLimitBytes: 1e9 })).problems).toEqual([]);
    expect((await readdir(path.dirname(dest))).sort()).toEqual(['bundle', 'model.tar.gz']);
  });

  it('extracts a zip and a plain tar of the fixture', async () => {
    const entries = await folderEntries(FIXTURE);
    const zip = await place(await zipBuffer(entries), 'model.zip');
    expect(await extractArchive(zip.archive, zip.dest, LIMITS)).toMatchObject({ kind: 'zip', files: entries.length });
    expect((await validateBundle(zip.dest, { memoryLimitBytes: 1e9 })).ok).toBe(true);
    // As `tar -cf model.tar -C bundle .` writes it (docs/onnx-submissions.md): a `./` root entry first.
    const tar = await place(tarBuffer([{ path: './', type: 'Directory' }, ...entries.map((e) => ({ ...e, path: `./${e.path}` }))]), 'model.tar');
    expect(await extractArchive(tar.archive, tar.dest, LIMITS)).toMatchObject({ kind: 'tar', files: entries.length });
    expect((await validateBundle(tar.dest, { memoryLimitBytes: 1e9 })).ok).toBe(true);
  });
});

describe('extractArchive: hostile uploads are refused and leave nothing on disk', () => {
  const ok = { path: 'config.json', data: Buffer.from('{}') };

  it('zip-slip in a zip (../) and in a tar (../ and absolute)', async () => {
    const zip = renameInZip(await zipBuffer([ok, { path: 'aa/evil.sh', data: Buffer.from('echo pwned') }]), 'aa/evil.sh', '../evil.sh');
    await expectRefusedLeavingNothing(zip, 'slip.zip', 'path_escape');
    const error = await expectRefusedLeavingNothing(tarGzBuffer([ok, { path: '../../evil.sh', data: Buffer.from('x') }]), 'slip.tar.gz', 'path_escape');
    expect(error.message).toMatch(/leaves the archive folder.*"\.\.\/\.\.\/evil\.sh"/);
    await expectRefusedLeavingNothing(tarBuffer([ok, { path: '/tmp/evil.sh', data: Buffer.from('x') }]), 'abs.tar', 'path_escape');
    expect(await readdir(tmp)).not.toContain('evil.sh');
  });

  it('symbolic links and hard links', async () => {
    await expectRefusedLeavingNothing(tarBuffer([ok, { path: 'onnx', type: 'SymbolicLink', linkpath: '/etc' }]), 'symlink.tar', 'link');
    await expectRefusedLeavingNothing(tarBuffer([ok, { path: 'copy.json', type: 'Link', linkpath: 'config.json' }]), 'hardlink.tar', 'link');
    await expectRefusedLeavingNothing(await zipBuffer([ok, { path: 'passwd', data: Buffer.from('/etc/passwd'), mode: 0o120777 }]), 'symlink.zip', 'link');
  });

  it('a zip bomb (entry ratio) and a tar.gz bomb (running ratio)', async () => {
    const zeros = Buffer.alloc(30 * 1024 * 1024);
    const error = await expectRefusedLeavingNothing(await zipBuffer([ok, { path: 'weights.bin', data: zeros }]), 'bomb.zip', 'decompression_bomb');
    expect(error.message).toMatch(/expands more than 100 times/);
    await expectRefusedLeavingNothing(tarGzBuffer([ok, { path: 'weights.bin', data: zeros }]), 'bomb.tar.gz', 'decompression_bomb');
  });

  it('more bytes or more files than allowed', async () => {
    const noise = (size: number) => Buffer.from(Array.from({ length: size }, (_, i) => (i * 7919) % 251));
    await expectRefusedLeavingNothing(tarBuffer([ok, { path: 'a.bin', data: noise(4096) }, { path: 'b.bin', data: noise(4096) }]), 'big.tar', 'too_large', { ...LIMITS, maxTotalBytes: 6000 });
    const many = Array.from({ length: 60 }, (_, i) => ({ path: `f${i}.txt`, data: Buffer.from(String(i)) }));
    await expectRefusedLeavingNothing(await zipBuffer(many), 'many.zip', 'too_many_files');
    await expectRefusedLeavingNothing(tarBuffer(many), 'many.tar', 'too_many_files');
  });

  it('truncated archives (tar, tar.gz, zip)', async () => {
    const entries = await folderEntries(FIXTURE);
    const cut = (b: Buffer) => b.subarray(0, Math.floor(b.length / 2));
    await expectRefusedLeavingNothing(cut(tarBuffer(entries)), 'cut.tar', 'corrupt');
    await expectRefusedLeavingNothing(cut(tarGzBuffer(entries)), 'cut.tar.gz', 'corrupt');
    await expectRefusedLeavingNothing(cut(await zipBuffer(entries)), 'cut.zip', 'corrupt');
  });

  it('duplicate paths, special files, non-archives and oversized uploads', async () => {
    await expectRefusedLeavingNothing(tarBuffer([ok, ok]), 'dup.tar', 'duplicate_entry');
    await expectRefusedLeavingNothing(tarBuffer([ok, { path: 'pipe', type: 'FIFO' }]), 'fifo.tar', 'special_file');
    await expectRefusedLeavingNothing(Buffer.from('just some text, not an archive'.repeat(40)), 'notes.tar', 'unsupported_format');
    await expectRefusedLeavingNothing(tarBuffer([ok]), 'ok.tar', 'archive_too_large', { ...LIMITS, maxArchiveBytes: 100 });
  });
});

describe('acceptBundleArchive: extraction then validation, all or nothing', () => {
  it('keeps a valid bundle and removes one that fails validation (custom-op domain)', async () => {
    const { acceptBundleArchive } = await import('../../evaluator/onnx/accept-bundle');
    const { decodeModel, encodeModel } = await import('../../evaluator/onnx/onnx-proto');
    const entries = await folderEntries(FIXTURE);
    const good = await place(tarGzBuffer(entries), 'good.tar.gz');
    const accepted = await acceptBundleArchive(good.archive, good.dest, { memoryLimitBytes: 1e9, limits: LIMITS });
    expect(accepted.ok).toBe(true);
    expect((await readdir(good.folder)).sort()).toEqual(['bundle', 'good.tar.gz']);

    const hostile = entries.map((e) => {
      if (e.path === 'spinebench-manifest.json') {
        return { ...e, data: Buffer.from(JSON.stringify({ ...JSON.parse(e.data.toString()), declaredTotalBytes: 10_000_000 })) };
      }
      if (e.path !== 'onnx/embed_tokens.onnx') return e;
      const model = decodeModel(e.data);
      model.opset_import!.push({ domain: 'com.example.ops', version: 1 });
      model.graph!.node![0].domain = 'com.example.ops';
      return { ...e, data: Buffer.from(encodeModel(model)) };
    });
    const bad = await place(await zipBuffer(hostile), 'bad.zip');
    const refused = await acceptBundleArchive(bad.archive, bad.dest, { memoryLimitBytes: 1e9, limits: LIMITS });
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.problems.map((p) => p.file)).toEqual(['onnx/embed_tokens.onnx', 'onnx/embed_tokens.onnx']);
    expect(await readdir(bad.folder)).toEqual(['bad.zip']);

    const slip = await place(tarBuffer([{ path: '../x', data: Buffer.from('x') }]), 'slip.tar');
    const slipped = await acceptBundleArchive(slip.archive, slip.dest, { memoryLimitBytes: 1e9, limits: LIMITS });
    expect(slipped).toEqual({ ok: false, problems: [expect.objectContaining({ file: '../x', field: 'path_escape' })] });
  });
});
