import { cp, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatProblem } from '../../evaluator/onnx/bundle-report';
import { validateBundle } from '../../evaluator/onnx/validate-bundle';
import { decodeModel, encodeModel, DATA_LOCATION_EXTERNAL } from '../../evaluator/onnx/onnx-proto';

const FIXTURE = path.resolve('tests/fixtures/tiny-vlm');
const LIMIT = { memoryLimitBytes: 64 * 1024 * 1024 };
let tmp: string;
let counter = 0;

/** A fresh copy of the fixture bundle to break in one way (declaring room for the files the test adds). */
async function bundle(): Promise<string> {
  const dir = path.join(tmp, `b${counter++}`);
  await cp(FIXTURE, dir, { recursive: true });
  await editJson(dir, 'spinebench-manifest.json', (m) => (m.declaredTotalBytes = 10 * 1024 * 1024));
  return dir;
}
async function editJson(dir: string, file: string, edit: (v: Record<string, unknown>) => void): Promise<void> {
  const value = JSON.parse(await readFile(path.join(dir, file), 'utf8'));
  edit(value);
  await writeFile(path.join(dir, file), JSON.stringify(value));
}
async function editGraph(dir: string, file: string, edit: (m: ReturnType<typeof decodeModel>) => void): Promise<void> {
  const model = decodeModel(await readFile(path.join(dir, file)));
  edit(model);
  await writeFile(path.join(dir, file), encodeModel(model));
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'onnx-bundle-'));
});
afterAll(async () => rm(tmp, { recursive: true, force: true }));

describe('validateBundle', () => {
  it('accepts the tiny VLM fixture and summarises its sessions', async () => {
    const report = await validateBundle(FIXTURE, LIMIT);
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.manifest?.architecture).toBe('llava');
    expect(Object.keys(report.sessions).sort()).toEqual(['decoder_model_merged', 'embed_tokens', 'vision_encoder']);
    expect(report.onnxBytes).toBe(report.manifest?.declaredTotalBytes);
  });

  it('refuses an ONNX file that is not protobuf', async () => {
    const dir = await bundle();
    await writeFile(path.join(dir, 'onnx/vision_encoder.onnx'), '{"this is": "json, not onnx"}\n'.repeat(20));
    const report = await validateBundle(dir, LIMIT);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([expect.objectContaining({ file: 'onnx/vision_encoder.onnx', message: expect.stringMatching(/^not an ONNX model/) })]);
  });

  it('refuses a graph with a custom-op domain', async () => {
    const dir = await bundle();
    await editGraph(dir, 'onnx/embed_tokens.onnx', (m) => {
      m.opset_import!.push({ domain: 'ai.onnx.contrib', version: 1 });
      m.graph!.node![0].domain = 'ai.onnx.contrib';
    });
    const messages = (await validateBundle(dir, LIMIT)).problems.map(formatProblem);
    expect(messages).toEqual([
      expect.stringMatching(/^onnx\/embed_tokens\.onnx \(opset_import "ai\.onnx\.contrib"\): custom operator domain/),
      expect.stringMatching(/^onnx\/embed_tokens\.onnx \(node "Gather_\d+"\): operator ai\.onnx\.contrib\.Gather is a custom op/),
    ]);
  });

  it('refuses a model whose declared size exceeds the memory limit, or understates the files', async () => {
    const dir = await bundle();
    await editJson(dir, 'spinebench-manifest.json', (m) => (m.declaredTotalBytes = 100 * 1024 * 1024));
    expect((await validateBundle(dir, LIMIT)).problems).toEqual([
      expect.objectContaining({ field: 'declaredTotalBytes', message: expect.stringMatching(/exceeds the worker memory limit \(67108864 bytes\)/) }),
    ]);
    await editJson(dir, 'spinebench-manifest.json', (m) => (m.declaredTotalBytes = 1000));
    expect((await validateBundle(dir, LIMIT)).problems).toEqual([
      expect.objectContaining({ field: 'declaredTotalBytes', message: expect.stringMatching(/declares 1000 bytes but onnx\/ holds \d+ bytes/) }),
    ]);
  });

  it('refuses a model whose weights and KV cache for maxNewTokens cannot fit the memory limit; reports the memory plan', async () => {
    const dir = await bundle();
    await editJson(dir, 'spinebench-manifest.json', (m) => (m.declaredTotalBytes = 200_000));
    const fits = await validateBundle(dir, LIMIT);
    expect(fits.problems).toEqual([]);
    // 2 × 2 layers × 4 heads × 8 × (2048 + 24) tokens × 4 bytes
    expect(fits.memoryPlan).toMatchObject({ weightsBytes: fits.onnxBytes, kvCacheBytes: 1_060_864, promptTokens: 2048, maxNewTokens: 24 });
    // 1 MiB holds the declared 200 kB but not weights (~160 kB) + KV cache (~1 MB).
    expect((await validateBundle(dir, { memoryLimitBytes: 1024 * 1024 })).problems).toEqual([
      expect.objectContaining({
        field: 'maxNewTokens',
        message: expect.stringMatching(/the weights \(0\.2 MiB\) plus the KV cache for 2048 prompt \+ 24 new tokens \(1\.0 MiB\) exceed the worker memory limit \(1\.0 MiB\); use a smaller dtype/),
      }),
    ]);
  });

  it('names each bad manifest field', async () => {
    const dir = await bundle();
    await editJson(dir, 'spinebench-manifest.json', (m) => {
      m.architecture = 'gpt2';
      m.maxNewTokens = 0;
      m.extra = true;
    });
    const fields = (await validateBundle(dir, LIMIT)).problems.map((p) => `${p.file}:${p.field ?? ''}`);
    expect(fields).toEqual(expect.arrayContaining(['spinebench-manifest.json:architecture', 'spinebench-manifest.json:maxNewTokens', 'spinebench-manifest.json:']));
  });

  it('reports missing files, a graph missing for the declared dtype, and a wrong model_type', async () => {
    const dir = await bundle();
    await rm(path.join(dir, 'tokenizer.json'));
    await editJson(dir, 'spinebench-manifest.json', (m) => (m.dtype = 'q4'));
    await editJson(dir, 'config.json', (c) => (c.model_type = 'qwen2_vl'));
    const messages = (await validateBundle(dir, LIMIT)).problems.map(formatProblem);
    expect(messages).toEqual(
      expect.arrayContaining([
        'tokenizer.json: required file is missing',
        'onnx/embed_tokens_q4.onnx: required graph for dtype q4 is missing',
        expect.stringMatching(/^config\.json \(model_type\): is "qwen2_vl" but the manifest says architecture "llava"/),
      ]),
    );
  });

  it('refuses graph I/O that does not fit the architecture', async () => {
    const dir = await bundle();
    await editGraph(dir, 'onnx/decoder_model_merged.onnx', (m) => {
      m.graph!.output = m.graph!.output!.filter((o) => o.name !== 'logits');
    });
    expect((await validateBundle(dir, LIMIT)).problems).toEqual([
      expect.objectContaining({ file: 'onnx/decoder_model_merged.onnx', field: 'output "logits"' }),
    ]);
  });

  it('refuses external data that points outside the bundle or past the end of its file', async () => {
    const dir = await bundle();
    await writeFile(path.join(dir, 'onnx/embed_tokens.onnx_data'), Buffer.alloc(64));
    await editGraph(dir, 'onnx/embed_tokens.onnx', (m) => {
      const weight = m.graph!.initializer![0];
      delete weight.raw_data;
      weight.data_location = DATA_LOCATION_EXTERNAL;
      weight.external_data = [{ key: 'location', value: '../../../etc/passwd' }];
    });
    expect((await validateBundle(dir, LIMIT)).problems.map((p) => p.message)).toEqual([expect.stringMatching(/must be a relative path inside onnx\//)]);
    await editGraph(dir, 'onnx/embed_tokens.onnx', (m) => {
      m.graph!.initializer![0].external_data = [
        { key: 'location', value: 'embed_tokens.onnx_data' },
        { key: 'offset', value: '0' },
        { key: 'length', value: '33280' },
      ];
    });
    expect((await validateBundle(dir, LIMIT)).problems.map((p) => p.message)).toEqual([expect.stringMatching(/range 0\+33280 lies outside "onnx\/embed_tokens.onnx_data" \(64 bytes\)/)]);
  });

  it('refuses custom-op libraries, by name or by content, and symbolic links', async () => {
    const dir = await bundle();
    await writeFile(path.join(dir, 'onnx/libortextensions.so'), 'not really a library');
    await writeFile(path.join(dir, 'extra.dat'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]));
    await symlink('/etc/passwd', path.join(dir, 'notes.txt'));
    const messages = (await validateBundle(dir, LIMIT)).problems.map(formatProblem).sort();
    expect(messages).toEqual([
      'extra.dat: native libraries (custom-op libraries) are not allowed in a bundle',
      'notes.txt: symbolic links are not allowed in a bundle',
      'onnx/libortextensions.so: native libraries (custom-op libraries) are not allowed in a bundle',
    ]);
  });

  it('checks that the chat template exists and parses', async () => {
    const dir = await bundle();
    await editJson(dir, 'tokenizer_config.json', (t) => (t.chat_template = '{% for m in messages %}{{ m.content }'));
    expect((await validateBundle(dir, LIMIT)).problems).toEqual([
      expect.objectContaining({ file: 'tokenizer_config.json', field: 'chat_template', message: expect.stringMatching(/does not parse as Jinja/) }),
    ]);
    await editJson(dir, 'tokenizer_config.json', (t) => delete t.chat_template);
    expect((await validateBundle(dir, LIMIT)).problems.map((p) => p.field)).toEqual(['chat_template']);
    await editJson(dir, 'spinebench-manifest.json', (m) => (m.chatTemplate = { inline: '{{ messages[0].content }}' }));
    expect((await validateBundle(dir, LIMIT)).ok).toBe(true);
  });
});
