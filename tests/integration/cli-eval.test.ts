/**
 * The real `spinebench eval` CLI, run as a child process (node bin/spinebench.js) against a fake
 * OpenAI-compatible server, the tiny ONNX model and bad inputs. The expected numbers come from the
 * platform's scorer (scoreItem + aggregateRun) applied to the answers the fake server gives.
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tar from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Item } from '../../benchmark/item-schema';
import { loadReleaseFolder } from '../../benchmark/release';
import type { EvalSummary } from '../../evaluator/cli/summary';
import { buildPrompt } from '../../evaluator/prompt';
import { aggregateRun, REPORT_DIMENSIONS, scoreItem } from '../../evaluator/scoring';
import { tarBuffer } from '../support/archives';
import { DEMO_RELEASE_DIR } from '../support/demo-release';
import { startFakeEndpoint, type FakeEndpoint } from '../support/fake-chat-endpoint';

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

let tmp: string;

function runCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/spinebench.js', ...args],
      { env: { ...process.env, SPINEBENCH_CACHE_DIR: path.join(tmp, 'cache'), ...env }, timeout: 120_000, maxBuffer: 16 * 2 ** 20 },
      (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

let devItems: Item[];
let endpoint: FakeEndpoint;

/**
 * What the fake team model says to each dev item, found by the exact prompt text the platform builds:
 * every third MCQ gets a wrong letter, the others the right one (as "Answer: X"); a report gets the
 * reference findings and diagnosis under two section headings.
 */
function answerFor(item: Item, index: number): string {
  if (item.task === 'report') {
    return `## Structured findings\n${item.referenceReport.structuredFindings}\n## Diagnosis\n${item.referenceReport.diagnosis}`;
  }
  if (index % 3 !== 0) return `Answer: ${item.answer}`;
  return (['A', 'B', 'C', 'D', 'E'] as const).find((l) => l !== item.answer && item.options[l] !== undefined)!;
}

const scoresWithAnswers = (items: Item[]) => items.map((item) => scoreItem(item, answerFor(item, devItems.indexOf(item))));

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'cli-eval-'));
  devItems = (await loadReleaseFolder(DEMO_RELEASE_DIR)).items.filter((i) => i.split === 'dev');
  const byPrompt = new Map(devItems.map((item, index) => [buildPrompt(item, []).text, answerFor(item, index)]));
  endpoint = await startFakeEndpoint((_model, text) => ({ content: byPrompt.get(text) ?? 'unknown prompt' }));
});
afterAll(async () => {
  await endpoint?.close();
  await rm(tmp, { recursive: true, force: true });
});

describe('spinebench eval --endpoint', () => {
  it('scores the dev split exactly as the platform scorer does (--json and --out)', async () => {
    const log = path.join(tmp, 'items.jsonl');
    const before = endpoint.requests.length;
    const result = await runCli(['eval', '--endpoint', endpoint.url, '--model', 'team-model', '--token', 'sk-local', '--split', 'dev', '--release', DEMO_RELEASE_DIR, '--json', '--out', log, '--concurrency', '3']);
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.code).toBe(0);

    const summary = JSON.parse(result.stdout) as EvalSummary;
    const expected = aggregateRun(scoresWithAnswers(devItems));
    expect(summary.scores).toEqual({
      overall: expected.overall,
      textMcq: expected.parts.text_mcq,
      imageMcq: expected.parts.image_mcq,
      mcq: expected.mcq,
      report: expected.parts.report,
      reportCheck: expected.reportDeterministic,
    });
    expect(summary.noAnswer).toEqual(expected.noAnswer);
    expect(summary.items).toEqual({ evaluated: devItems.length, devTotal: devItems.length, failed: 0, failuresByCode: {} });
    expect(summary.reportMethod).toBe('deterministic');
    // Every third MCQ is wrong, so the MCQ score is neither 0 nor 100 (the comparison above is not vacuous).
    expect(expected.mcq!.score).toBeGreaterThan(50);
    expect(expected.mcq!.score).toBeLessThan(100);
    expect(expected.parts.report!.score).toBeGreaterThan(0);

    // One request per dev item, with the team's model name and token; never a hidden-split prompt.
    const sent = endpoint.requests.slice(before);
    expect(sent).toHaveLength(devItems.length);
    expect(new Set(sent.map((r) => r.model))).toEqual(new Set(['team-model']));
    expect(new Set(sent.map((r) => r.authorization))).toEqual(new Set(['Bearer sk-local']));
    const imageParts = sent.flatMap((r) => (Array.isArray(r.body.messages[1].content) ? r.body.messages[1].content : [])).filter((p: any) => p.type === 'image_url');
    expect(imageParts.length).toBe(devItems.reduce((n, i) => n + i.images.length, 0));
    expect(imageParts[0].image_url.url).toMatch(/^data:image\/png;base64,iVBOR/);

    const lines = (await readFile(log, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.itemId)).toEqual(devItems.map((i) => i.id));
    const firstMcq = devItems.findIndex((i) => i.task === 'mcq' && devItems.indexOf(i) % 3 === 1);
    expect(lines[firstMcq]).toMatchObject({ rawOutput: answerFor(devItems[firstMcq], firstMcq), score: 1, error: null });
    const firstReport = devItems.findIndex((i) => i.task === 'report');
    expect(lines[firstReport].check.score).toBe(lines[firstReport].score);
    expect(lines[firstReport].check.sections.structuredFindings).toBe(true);
  });

  it('prints a summary table with the same numbers, and honours --limit', async () => {
    const result = await runCli(['eval', '--endpoint', endpoint.url, '--model', 'team-model', '--release', DEMO_RELEASE_DIR, '--limit', '20']);
    expect(result.code).toBe(0);
    const expected = aggregateRun(scoresWithAnswers(devItems.slice(0, 20)));
    const row = (label: string) => result.stdout.split('\n').find((l) => l.startsWith(label)) ?? '';
    const cells = (s: { n: number; score: number; ci: [number, number] }) => [String(s.n), s.score.toFixed(1), `[${s.ci[0].toFixed(1)}, ${s.ci[1].toFixed(1)}]`];
    expect(row('Overall').split(/\s{2,}/).slice(1, 4)).toEqual(cells(expected.overall!));
    expect(row('Text MCQ').split(/\s{2,}/).slice(1, 4)).toEqual(cells(expected.parts.text_mcq!));
    expect(row('Image MCQ').split(/\s{2,}/).slice(1, 4)).toEqual(cells(expected.parts.image_mcq!));
    if (expected.parts.report) expect(row('Report').split(/\s{2,}/).slice(1, 4)).toEqual(cells(expected.parts.report));
    expect(result.stdout).toContain(`Items: 20 of ${devItems.length} dev items`);
    expect(result.stdout).toContain(`No answer (MCQ): ${expected.noAnswer.count} of`);
    expect(result.stdout).toMatch(/Level questions: \d+; exact \d+ \(/);
  });

  it('scores reports with a judge when one is given', async () => {
    // Every dimension 4 of 5: each judged report scores 80 on the 0–100 scale.
    const answer = JSON.stringify(Object.fromEntries(REPORT_DIMENSIONS.map((d) => [d, { score: 4, rationale: 'adequate' }])));
    const judge = await startFakeEndpoint(() => ({ content: answer }));
    try {
      const reports = devItems.filter((i) => i.task === 'report');
      const limit = devItems.indexOf(reports[1]) + 1; // the first two reports and the MCQs before them
      const result = await runCli(
        ['eval', '--endpoint', endpoint.url, '--model', 'm', '--release', DEMO_RELEASE_DIR, '--limit', String(limit), '--json',
          '--judge-url', judge.url, '--judge-model', 'judge-model', '--judge-model-version', '2025-01-01'],
        { SPINEBENCH_JUDGE_TOKEN: 'judge-key' },
      );
      expect(result.code).toBe(0);
      const summary = JSON.parse(result.stdout) as EvalSummary;
      expect(summary.reportMethod).toBe('judge');
      expect(summary.judge).toMatchObject({ model: 'judge-model', modelVersion: '2025-01-01' });
      expect(summary.scores.report).toMatchObject({ n: 2, score: 80 });
      const deterministic = aggregateRun(scoresWithAnswers(devItems.slice(0, limit))).parts.report;
      expect(summary.scores.reportCheck).toEqual(deterministic);
      expect(judge.requests).toHaveLength(2);
      expect(new Set(judge.requests.map((r) => r.authorization))).toEqual(new Set(['Bearer judge-key']));
    } finally {
      await judge.close();
    }
  });

  it('reads a release archive and uses only its dev items', async () => {
    const archive = path.join(tmp, 'release.tar.gz');
    await tar.c({ gzip: true, file: archive, cwd: DEMO_RELEASE_DIR }, ['.']);
    const before = endpoint.requests.length;
    const result = await runCli(['eval', '--endpoint', endpoint.url, '--model', 'm', '--release', archive, '--limit', '4', '--json']);
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as EvalSummary).items.evaluated).toBe(4);
    const known = new Set(devItems.map((i) => buildPrompt(i, []).text));
    const sent = endpoint.requests.slice(before);
    expect(sent).toHaveLength(4);
    for (const r of sent) expect(known.has(typeof r.body.messages[1].content === 'string' ? r.body.messages[1].content : r.body.messages[1].content[0].text)).toBe(true);
  });

  it('ends with exit code 1 when every model call fails, and says why', async () => {
    const down = await startFakeEndpoint(() => ({ status: 500 }));
    await down.close(); // a loopback port with nothing listening
    const result = await runCli(['eval', '--endpoint', down.url, '--model', 'm', '--release', DEMO_RELEASE_DIR, '--limit', '2', '--attempts', '1']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Failed model calls: 2 (unreachable 2)');
    expect(result.stderr).toMatch(/Every model call failed; the first error was unreachable/);
  });

  it('refuses a link-local (cloud metadata) endpoint even on the local machine', async () => {
    const result = await runCli(['eval', '--endpoint', 'http://169.254.169.254/v1', '--model', 'm', '--release', DEMO_RELEASE_DIR]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Cannot use --endpoint http:\/\/169\.254\.169\.254\/v1: .*169\.254\.169\.254/);
  });
});

describe('spinebench eval --onnx', () => {
  it('runs the tiny VLM end to end in the platform runner', async () => {
    const log = path.join(tmp, 'onnx.jsonl');
    const result = await runCli(['eval', '--onnx', 'tests/fixtures/tiny-vlm', '--limit', '3', '--release', DEMO_RELEASE_DIR, '--json', '--out', log, '--device', 'cpu', '--memory-mb', '1024']);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as EvalSummary;
    expect(summary.model).toEqual({ kind: 'onnx', dir: 'tests/fixtures/tiny-vlm', device: 'cpu' });
    expect(summary.items).toMatchObject({ evaluated: 3, failed: 0 });
    const lines = (await readFile(log, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.itemId)).toEqual(devItems.slice(0, 3).map((i) => i.id));
    for (const l of lines) expect(typeof l.rawOutput === 'string' && l.rawOutput.length > 0).toBe(true);
    // The scores are whatever the platform scorer makes of the model's outputs.
    const expected = aggregateRun(lines.map((l, i) => scoreItem(devItems[i], l.rawOutput)));
    expect(summary.scores.overall).toEqual(expected.overall);
  });

  it('takes the archive a team would upload, extracted safely as the platform does', async () => {
    const archive = path.join(tmp, 'tiny-vlm.tar.gz');
    await tar.c({ gzip: true, file: archive, cwd: 'tests/fixtures/tiny-vlm' }, ['.']);
    const result = await runCli(['eval', '--onnx', archive, '--limit', '1', '--release', DEMO_RELEASE_DIR, '--json', '--device', 'cpu', '--memory-mb', '1024']);
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as EvalSummary).items).toMatchObject({ evaluated: 1, failed: 0 });

    const hostile = path.join(tmp, 'hostile.tar');
    await writeFile(hostile, tarBuffer([{ path: '../escape.txt', data: Buffer.from('x') }]));
    const refused = await runCli(['eval', '--onnx', hostile, '--release', DEMO_RELEASE_DIR]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/The ONNX bundle .*hostile\.tar is not valid/);
    expect(refused.stderr).toContain('../escape.txt');
  });

  it('prints the bundle report and exits 1 for an invalid bundle', async () => {
    const bundle = path.join(tmp, 'broken-bundle');
    await cp('tests/fixtures/tiny-vlm', bundle, { recursive: true });
    await rm(path.join(bundle, 'tokenizer.json'));
    await rm(path.join(bundle, 'onnx', 'vision_encoder.onnx'));
    const result = await runCli(['eval', '--onnx', bundle, '--release', DEMO_RELEASE_DIR]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/The ONNX bundle .*broken-bundle is not valid \(2 problems\)/);
    expect(result.stderr).toContain('tokenizer.json: required file is missing');
    expect(result.stderr).toMatch(/onnx\/vision_encoder\.onnx: required graph for dtype fp32 is missing/);
    expect(result.stdout).toBe('');
  });
});

describe('spinebench arguments', () => {
  it('prints usage for --help', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: npx spinebench eval/);
    expect(result.stdout).toContain('--split dev');
    expect(result.stdout).toMatch(/loopback/);
  });

  it.each([
    [['eval', '--endpoint', 'http://127.0.0.1:1/v1', '--model', 'm', '--bogus'], /unknown option --bogus/],
    [['eval', '--onnx', 'x', '--split', 'test'], /hidden test split is never distributed/],
    [['eval', '--model', 'm'], /choose a model: --endpoint URL --model NAME/],
    [['eval', '--onnx', 'x', '--model', 'm'], /--model applies to --endpoint only/],
    [['eval', '--endpoint', 'http://127.0.0.1:1/v1'], /--endpoint needs --model/],
  ])('exits 2 with a clear message for %j', async (args, message) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain('npx spinebench --help');
  });

  it('exits 1 when the --onnx path does not exist', async () => {
    const result = await runCli(['eval', '--onnx', path.join(tmp, 'no-such-bundle')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/--onnx .*no-such-bundle does not exist/);
  });

  it('exits 1 naming the release when it cannot be read', async () => {
    const result = await runCli(['eval', '--endpoint', endpoint.url, '--model', 'm', '--release', path.join(tmp, 'no-such-release')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no-such-release: does not exist/);
  });
});
