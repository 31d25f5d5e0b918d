import { describe, expect, it } from 'vitest';
import { EVAL_DEFAULTS, parseCliArgs, UsageError, type CliCommand, type EvalOptions } from '../../../evaluator/cli/args';

const GiB = 2 ** 30;
const parse = (argv: string[], env: Record<string, string> = {}) => parseCliArgs(argv, { env, totalMemoryBytes: 16 * GiB });
const evalOptions = (argv: string[], env: Record<string, string> = {}): EvalOptions => {
  const cmd: CliCommand = parse(['eval', ...argv], env);
  if (cmd.command !== 'eval') throw new Error('expected eval');
  return cmd.options;
};
const usageError = (argv: string[]) => {
  try {
    parse(argv);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    expect((e as UsageError).exitCode).toBe(2);
    return (e as Error).message;
  }
  throw new Error(`no usage error for ${argv.join(' ')}`);
};

describe('parseCliArgs', () => {
  it('asks for help without a command, with help, or with -h', () => {
    expect(parse([])).toEqual({ command: 'help' });
    expect(parse(['help'])).toEqual({ command: 'help' });
    expect(parse(['eval', '-h'])).toEqual({ command: 'help' });
  });

  it('reads an endpoint run with the platform defaults', () => {
    const o = evalOptions(['--endpoint', 'http://127.0.0.1:8000/v1', '--model', 'qwen', '--split', 'dev']);
    expect(o).toEqual({
      model: { kind: 'endpoint', url: 'http://127.0.0.1:8000/v1', model: 'qwen' },
      split: 'dev',
      release: null,
      limit: null,
      concurrency: EVAL_DEFAULTS.endpointConcurrency,
      timeoutMs: EVAL_DEFAULTS.timeoutMs,
      attempts: EVAL_DEFAULTS.attempts,
      out: null,
      json: false,
      judge: null,
    });
  });

  it('takes the endpoint token from the flag, else from SPINEBENCH_ENDPOINT_TOKEN, never from the platform token SPINEBENCH_TOKEN', () => {
    const base = ['--endpoint', 'http://h/v1', '--model', 'm'];
    expect(evalOptions([...base, '--token', 'flag'], { SPINEBENCH_ENDPOINT_TOKEN: 'env' }).model).toMatchObject({ token: 'flag' });
    expect(evalOptions(base, { SPINEBENCH_ENDPOINT_TOKEN: 'env' }).model).toMatchObject({ token: 'env' });
    expect(evalOptions(base, { SPINEBENCH_TOKEN: 'sbh_platform' }).model).not.toHaveProperty('token');
    expect(evalOptions(base).model).not.toHaveProperty('token');
  });

  it('reads an ONNX run: one item at a time, 75% of memory by default', () => {
    const o = evalOptions(['--onnx', './bundle', '--limit', '3', '--out', 'log.jsonl', '--json', '--release', 'dev.tar.gz']);
    expect(o.model).toEqual({ kind: 'onnx', dir: './bundle', device: 'auto', memoryMb: 12 * 1024 });
    expect(o).toMatchObject({ concurrency: 1, limit: 3, out: 'log.jsonl', json: true, release: 'dev.tar.gz' });
    expect(evalOptions(['--onnx', 'b', '--device', 'cpu', '--memory-mb', '2048']).model).toMatchObject({ device: 'cpu', memoryMb: 2048 });
  });

  it('reads a judge only when all of its flags are given', () => {
    const o = evalOptions(['--onnx', 'b', '--judge-url', 'http://j/v1', '--judge-model', 'gpt', '--judge-model-version', '2024-08-06'], {
      SPINEBENCH_JUDGE_TOKEN: 'k',
    });
    expect(o.judge).toEqual({ baseUrl: 'http://j/v1', model: 'gpt', modelVersion: '2024-08-06', apiKey: 'k' });
    expect(usageError(['eval', '--onnx', 'b', '--judge-url', 'http://j/v1'])).toMatch(/missing --judge-model, --judge-model-version/);
  });

  it('refuses the hidden test split and says why', () => {
    const message = usageError(['eval', '--onnx', 'b', '--split', 'test']);
    expect(message).toMatch(/hidden test split is never distributed/);
    expect(message).toMatch(/--split dev/);
    expect(usageError(['eval', '--onnx', 'b', '--split', 'train'])).toMatch(/--split must be "dev"/);
  });

  it('names the flag for every bad input', () => {
    expect(usageError(['eval', '--bogus'])).toMatch(/unknown option --bogus/);
    expect(usageError(['evaluate'])).toMatch(/unknown command "evaluate"/);
    expect(usageError(['eval'])).toMatch(/choose a model: --endpoint URL --model NAME .* or --onnx PATH/);
    expect(usageError(['eval', '--endpoint', 'http://h/v1'])).toMatch(/--endpoint needs --model/);
    expect(usageError(['eval', '--endpoint', 'not a url', '--model', 'm'])).toMatch(/--endpoint must be a URL/);
    expect(usageError(['eval', '--endpoint', 'ftp://h/', '--model', 'm'])).toMatch(/http:\/\/ or https:\/\//);
    expect(usageError(['eval', '--endpoint', 'http://h', '--model', 'm', '--onnx', 'b'])).toMatch(/either --endpoint or --onnx/);
    expect(usageError(['eval', '--onnx', 'b', '--model', 'm'])).toMatch(/--model applies to --endpoint only/);
    expect(usageError(['eval', '--endpoint', 'http://h', '--model', 'm', '--device', 'cpu'])).toMatch(/--device applies to --onnx only/);
    expect(usageError(['eval', '--onnx', 'b', '--device', 'tpu'])).toMatch(/--device must be one of auto, cuda, webgpu, cpu \(got "tpu"\)/);
    for (const bad of ['0', '-1', '2.5', 'ten']) expect(usageError(['eval', '--onnx', 'b', `--limit=${bad}`])).toMatch(/--limit must be a positive whole number/);
    expect(usageError(['eval', '--onnx', 'b', '--limit', '-1'])).toMatch(/--limit needs a value/);
    expect(usageError(['eval', '--onnx', 'b', 'extra'])).toMatch(/unexpected argument "extra"/);
    expect(usageError(['eval', '--onnx'])).toMatch(/--onnx needs a value/);
  });
});
