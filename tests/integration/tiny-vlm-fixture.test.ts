import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeTinyVlm } from '../../evaluator/onnx/fixture/make-tiny-vlm';
import { folderEntries } from '../support/archives';

const FIXTURE = path.resolve('tests/fixtures/tiny-vlm');
const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe('tiny VLM fixture', () => {
  it('is exactly what `npm run fixture:tiny-vlm` writes (deterministic, committed up to date), and small', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tiny-vlm-'));
    dirs.push(dir);
    await writeTinyVlm(path.join(dir, 'tiny-vlm'));
    const fresh = await folderEntries(path.join(dir, 'tiny-vlm'));
    const committed = await folderEntries(FIXTURE);
    expect(fresh.map((f) => f.path).sort()).toEqual(committed.map((f) => f.path).sort());
    for (const file of fresh) {
      expect(Buffer.compare(file.data, await readFile(path.join(FIXTURE, file.path))), file.path).toBe(0);
    }
    expect(committed.reduce((sum, f) => sum + f.data.length, 0)).toBeLessThan(400 * 1024);
  });
});
