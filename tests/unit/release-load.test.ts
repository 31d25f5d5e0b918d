import { mkdtemp, readFile, readdir, rm, symlink, writeFile, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tar from 'tar';
import yazl from 'yazl';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ReleaseValidationError, computeContentHash, loadRelease, loadReleaseFolder, type ReleaseProblem } from '../../benchmark/release';
import { fixtureItems, rawTar, tinyPng, writeFixtureRelease, writeRawItems } from '../support/release-fixture';

let work: string;
let dir: string;

beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'sbh-load-'));
  dir = path.join(work, 'release');
  await writeFixtureRelease(dir);
});
afterEach(() => rm(work, { recursive: true, force: true }));

async function problemsOf(promise: Promise<unknown>): Promise<ReleaseProblem[]> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ReleaseValidationError);
  return (error as ReleaseValidationError).problems;
}

async function itemLines(): Promise<string[]> {
  return (await readFile(path.join(dir, 'items.jsonl'), 'utf8')).trim().split('\n');
}

async function editLine(index: number, edit: (item: Record<string, any>) => void): Promise<void> {
  const lines = await itemLines();
  const item = JSON.parse(lines[index]);
  edit(item);
  lines[index] = JSON.stringify(item);
  await writeRawItems(dir, lines);
}

describe('loadReleaseFolder', () => {
  it('loads a valid release, canonicalises levels and checks the content hash', async () => {
    const loaded = await loadReleaseFolder(dir);
    expect(loaded.items.map((i) => i.id)).toEqual(['dev-001', 'dev-002', 'test-001', 'test-002']);
    expect(loaded.items[1].levels).toEqual(['L4-L5']);
    expect(loaded.items[3].levels).toEqual(['L5-S1']);
    expect(loaded.counts).toEqual({ dev: 2, test: 2, mcq: 3, report: 1 });
    expect([...loaded.images.keys()].sort()).toEqual(['images/a.png', 'images/b.png']);
    expect(loaded.images.get('images/a.png')!.mediaType).toBe('image/png');
    expect(loaded.contentHash).toBe(loaded.manifest.contentHash);
  });

  it('content hash follows the documented list format', async () => {
    const { createHash } = await import('node:crypto');
    const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
    const files = ['images/a.png', 'images/b.png', 'items.jsonl'];
    const list = (
      await Promise.all(files.map(async (f) => {
        const bytes = await readFile(path.join(dir, f));
        return `${f}\t${bytes.length}\t${sha(bytes)}\n`;
      }))
    ).join('');
    const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8'));
    expect(manifest.contentHash).toBe(`sha256:${sha(Buffer.from(list))}`);
    expect(computeContentHash([{ file: 'b', size: 1, sha256: 'x' }, { file: 'a', size: 1, sha256: 'y' }])).toBe(
      computeContentHash([{ file: 'a', size: 1, sha256: 'y' }, { file: 'b', size: 1, sha256: 'x' }]),
    );
  });

  it('reports bad JSON with its line', async () => {
    const lines = await itemLines();
    lines[1] = '{"id": "dev-002", ';
    await writeRawItems(dir, lines);
    const problems = await problemsOf(loadReleaseFolder(dir));
    expect(problems[0]).toMatchObject({ file: 'items.jsonl', line: 2 });
    expect(problems[0].message).toMatch(/^invalid JSON/);
  });

  it('reports a missing field with line and field', async () => {
    await editLine(2, (item) => delete item.question);
    const problems = await problemsOf(loadReleaseFolder(dir));
    expect(problems).toEqual([{ file: 'items.jsonl', line: 3, field: 'question', message: 'missing required field (expected string)' }]);
  });

  it('reports an unknown level label, also inside key findings', async () => {
    await editLine(0, (item) => (item.levels = ['L4-L5', 'L9']));
    await editLine(3, (item) => (item.keyFindings[0].levels = ['L3-L5']));
    const problems = await problemsOf(loadReleaseFolder(dir));
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatchObject({ file: 'items.jsonl', line: 1, field: 'levels.1' });
    expect(problems[0].message).toMatch(/unknown level label "L9"/);
    expect(problems[1]).toMatchObject({ line: 4, field: 'keyFindings.0.levels.0' });
  });

  it('reports an answer that is not among the options', async () => {
    await editLine(0, (item) => (item.answer = 'E'));
    const problems = await problemsOf(loadReleaseFolder(dir));
    expect(problems).toEqual([{ file: 'items.jsonl', line: 1, field: 'answer', message: 'answer "E" is not among the options (A, B, C, D)' }]);
  });

  it('reports a missing image', async () => {
    await rm(path.join(dir, 'images/b.png'));
    const problems = await problemsOf(loadReleaseFolder(dir));
    expect(problems).toEqual([{ file: 'items.jsonl', line: 3, field: 'images.0.file', message: 'file "images/b.png" is missing from the release' }]);
  });

  it('reports a duplicate id with both lines', async () => {
    await editLine(3, (item) => (item.id = 'dev-001'));
    const problems = await problemsOf(loadReleaseFolder(dir));
    expect(problems).toEqual([{ file: 'items.jsonl', line: 4, field: 'id', message: 'duplicate id "dev-001" (first used on line 1)' }]);
  });

  it('reports files that are not valid images', async () => {
    await writeFile(path.join(dir, 'images/a.png'), 'this is text, not a picture');
    const truncated = tinyPng(20, 120);
    await writeFile(path.join(dir, 'images/b.png'), truncated.subarray(0, truncated.length - 20));
    const problems = await problemsOf(loadReleaseFolder(dir));
    const byFile = Object.fromEntries(problems.map((p) => [p.message.match(/"(images\/.\.png)"/)![1], p]));
    expect(byFile['images/a.png']).toMatchObject({ line: 2, field: 'images.0.file' });
    expect(byFile['images/a.png'].message).toMatch(/neither a PNG nor a JPEG/);
    expect(byFile['images/b.png'].message).toMatch(/not a valid PNG/);
  });

  it.each(['../outside.png', '/etc/passwd', 'images/../../x.png', 'images\\a.png'])('refuses the path %s', async (file) => {
    await writeFile(path.join(work, 'outside.png'), tinyPng());
    await editLine(1, (item) => (item.images[0].file = file));
    const problems = await problemsOf(loadReleaseFolder(dir));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: 'items.jsonl', line: 2, field: 'images.0.file' });
    expect(problems[0].message).toMatch(/escapes the release folder|backslash/);
  });

  it('refuses an image that is a symbolic link, even to a valid image outside', async () => {
    await writeFile(path.join(work, 'outside.png'), tinyPng());
    await rm(path.join(dir, 'images/a.png'));
    await symlink(path.join(work, 'outside.png'), path.join(dir, 'images/a.png'));
    const problems = await problemsOf(loadReleaseFolder(dir));
    expect(problems[0].message).toMatch(/symbolic link/);
  });

  it('reports a content hash that does not match and split counts that do not add up', async () => {
    await editLine(0, (item) => (item.question = 'Changed question?'));
    let problems = await problemsOf(loadReleaseFolder(dir));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: 'manifest.json', field: 'contentHash' });
    await editLine(0, (item) => (item.split = 'test'));
    problems = await problemsOf(loadReleaseFolder(dir));
    expect(problems.map((p) => p.field)).toEqual(['splits.dev.items', 'splits.test.items', 'contentHash']);
  });

  it('reports manifest problems by field', async () => {
    const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8'));
    delete manifest.licence;
    manifest.extra = 1;
    await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
    const problems = await problemsOf(loadReleaseFolder(dir));
    expect(problems).toContainEqual({ file: 'manifest.json', field: 'licence', message: 'missing required field (expected string)' });
    expect(problems).toContainEqual({ file: 'manifest.json', message: 'unknown field(s): extra' });
  });

  it('collects several problems at once, in line order, and the error message lists them', async () => {
    await editLine(0, (item) => (item.answer = 'E'));
    await editLine(2, (item) => delete item.region);
    const error = (await loadReleaseFolder(dir).catch((e) => e)) as ReleaseValidationError;
    expect(error.problems.map((p) => p.line)).toEqual([1, 3]);
    expect(error.message).toContain('items.jsonl, line 1, field answer: answer "E" is not among the options');
    expect(error.message).toContain('items.jsonl, line 3, field region: missing required field');
  });

  it('never echoes a hidden item\'s question or answer text in problems', async () => {
    await editLine(2, (item) => (item.answer = 'Z'));
    const error = (await loadReleaseFolder(dir).catch((e) => e)) as ReleaseValidationError;
    expect(error.message).not.toContain('Which vertebra is fractured');
    expect(error.message).not.toContain('T12');
  });
});

describe('loadRelease from archives', () => {
  async function files(root: string): Promise<string[]> {
    return (await readdir(root, { recursive: true })).map(String).sort();
  }

  it('loads .tar.gz and .zip releases (also wrapped in one top folder) and cleans up', async () => {
    const tgz = path.join(work, 'r.tar.gz');
    await tar.c({ gzip: true, file: tgz, cwd: work }, ['release']);
    const fromTar = await loadRelease(tgz);
    expect(fromTar.contentHash).toBe((await loadReleaseFolder(dir)).contentHash);
    await fromTar.dispose();
    expect(await readdir(fromTar.dir).catch(() => 'gone')).toBe('gone');

    const zipFile = new yazl.ZipFile();
    for (const f of await files(dir)) if (f.includes('.')) zipFile.addBuffer(await readFile(path.join(dir, f)), f);
    zipFile.end();
    const chunks: Buffer[] = [];
    for await (const c of zipFile.outputStream) chunks.push(c as Buffer);
    await writeFile(path.join(work, 'r.zip'), Buffer.concat(chunks));
    const fromZip = await loadRelease(path.join(work, 'r.zip'));
    expect(fromZip.items).toHaveLength(4);
    await fromZip.dispose();
  });

  it('refuses tar entries that escape, links, and nothing is extracted', async () => {
    const manifest = await readFile(path.join(dir, 'manifest.json'));
    await writeFile(
      path.join(work, 'bad.tar'),
      rawTar([
        { name: 'manifest.json', data: manifest },
        { name: '../escaped.txt', data: Buffer.from('x') },
        { name: 'images/link.png', type: '2', linkname: '/etc/passwd' },
      ]),
    );
    const problems = await problemsOf(loadRelease(path.join(work, 'bad.tar'), { tempDir: work }));
    expect(problems.map((p) => p.file)).toEqual(['bad.tar:../escaped.txt', 'bad.tar:images/link.png']);
    expect(problems[0].message).toMatch(/leaves the archive folder/);
    expect(problems[1].message).toMatch(/link/);
    expect((await readdir(work)).sort()).toEqual(['bad.tar', 'release']);
  });

  it('refuses zip entries that escape and symbolic links', async () => {
    const zipFile = new yazl.ZipFile();
    zipFile.addBuffer(Buffer.from('{}'), 'manifest.json');
    zipFile.addBuffer(Buffer.from('x'), 'zz/escaped.txt');
    zipFile.addBuffer(Buffer.from('/etc/passwd'), 'images/link.png', { mode: 0o120777 });
    zipFile.end();
    const chunks: Buffer[] = [];
    for await (const c of zipFile.outputStream) chunks.push(c as Buffer);
    // yazl refuses to write "..", so patch the name in place (same length, names are not checksummed).
    const bytes = Buffer.from(Buffer.concat(chunks).toString('latin1').replaceAll('zz/escaped', '../escaped'), 'latin1');
    await writeFile(path.join(work, 'bad.zip'), bytes);
    const problems = await problemsOf(loadRelease(path.join(work, 'bad.zip'), { tempDir: work }));
    const messages = problems.map((p) => `${p.file}: ${p.message}`).join('\n');
    expect(messages).toMatch(/escape/);
    expect(messages).toMatch(/images\/link\.png: entry is a link/);
    expect((await readdir(work)).sort()).toEqual(['bad.zip', 'release']);
  });

  it('refuses archives that unpack past the size limit', async () => {
    const tgz = path.join(work, 'r.tgz');
    await tar.c({ gzip: true, file: tgz, cwd: dir }, ['.']);
    const problems = await problemsOf(loadRelease(tgz, { archiveLimits: { maxTotalBytes: 500 }, tempDir: work }));
    expect(problems.some((p) => /would exceed 500 bytes/.test(p.message))).toBe(true);
  });

  it('still validates what an archive holds', async () => {
    await editLine(0, (item) => (item.answer = 'E'));
    const tgz = path.join(work, 'r.tgz');
    await cp(dir, path.join(work, 'copy'), { recursive: true });
    await tar.c({ gzip: true, file: tgz, cwd: path.join(work, 'copy') }, ['.']);
    const problems = await problemsOf(loadRelease(tgz, { tempDir: work }));
    expect(problems[0]).toMatchObject({ file: 'items.jsonl', line: 1, field: 'answer' });
  });
});
