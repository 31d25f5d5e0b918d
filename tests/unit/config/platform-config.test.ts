import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderEnvTable, withEnvTable } from '../../../config/env-table';
import { ConfigError, readConfig } from '../../../config/platform-config';

/** The ConfigError's lines for `env`, or a failure if readConfig accepted it. */
function problemsOf(env: Record<string, string>): string[] {
  try {
    readConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error(`readConfig accepted ${JSON.stringify(env)}`);
}

describe('readConfig', () => {
  it('gives every default on an empty environment', () => {
    const config = readConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      nodeEnv: 'production',
      dataDir: path.resolve('.data'),
      imageStoreDir: path.resolve('.data/images'),
      role: 'all',
      seedDemo: true,
      shardSize: 50,
      shardBackoffMs: 2000,
      dailyTestRuns: 5,
      endpointAllowList: [],
      judge: null,
      onnxBatchSize: 1,
    });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.metricsToken).toBeUndefined();
  });

  it('treats empty and blank values as unset', () => {
    const config = readConfig({ DATABASE_URL: '', REDIS_URL: '  ', METRICS_TOKEN: '', SHARD_SIZE: '' });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.redisUrl).toBeUndefined();
    expect(config.metricsToken).toBeUndefined();
    expect(config.shardSize).toBe(50);
  });

  it('parses the values it is given', () => {
    const config = readConfig({
      PORT: '0',
      SHARD_SIZE: '7',
      DAILY_TEST_RUNS: '0',
      SEED_DEMO: 'false',
      REDIS_URL: 'redis://10.0.0.2:6379',
      DATABASE_URL: 'postgresql://u@db:5432/x',
      ENDPOINT_ALLOW_LIST: '127.0.0.1, 10.0.0.0/8 model.internal',
      JUDGE_URL: 'https://judge.example/v1',
      JUDGE_MODEL: 'judge-1',
      JUDGE_MODEL_VERSION: '2026-01-01',
      DATA_DIR: '/tmp/sbh',
      ONNX_BATCH_SIZE: '8',
    });
    expect(config).toMatchObject({
      port: 0,
      shardSize: 7,
      dailyTestRuns: 0,
      seedDemo: false,
      role: 'web',
      endpointAllowList: ['127.0.0.1', '10.0.0.0/8', 'model.internal'],
      judge: { baseUrl: 'https://judge.example/v1', model: 'judge-1', modelVersion: '2026-01-01' },
      imageStoreDir: '/tmp/sbh/images',
      releaseWorkDir: '/tmp/sbh/release-work',
      onnxBatchSize: 8,
    });
  });

  it.each([
    [{ SHARD_SIZE: '0' }, 'SHARD_SIZE="0" is not valid; it accepts a whole number ≥ 1'],
    [{ SHARD_SIZE: 'fifty' }, 'SHARD_SIZE="fifty" is not valid; it accepts a whole number ≥ 1'],
    [{ SHARD_SIZE: '2.5' }, 'SHARD_SIZE="2.5" is not valid; it accepts a whole number ≥ 1'],
    [{ DAILY_TEST_RUNS: '-3' }, 'DAILY_TEST_RUNS="-3" is not valid; it accepts a whole number ≥ 0'],
    [{ PORT: '70000' }, 'PORT="70000" is not valid; it accepts a whole number from 0 to 65535'],
    [{ SHARD_BACKOFF_MS: '1e3' }, 'SHARD_BACKOFF_MS="1e3" is not valid; it accepts a whole number ≥ 0'],
    [{ ONNX_BATCH_SIZE: '0' }, 'ONNX_BATCH_SIZE="0" is not valid; it accepts a whole number ≥ 1'],
    [{ ONNX_RUNNER_IDLE_MS: 'never' }, 'ONNX_RUNNER_IDLE_MS="never" is not valid; it accepts a whole number ≥ 0'],
    [{ DATABASE_URL: 'mysql://db/x' }, 'DATABASE_URL="mysql://db/x" is not valid; it accepts a URL starting with postgres:// or postgresql://'],
    [{ REDIS_URL: 'localhost:6379' }, 'REDIS_URL="localhost:6379" is not valid; it accepts a URL starting with redis:// or rediss://'],
    [{ PLATFORM_ROLE: 'worker' }, 'PLATFORM_ROLE="worker" is not valid; it accepts `web` or `all`'],
    [{ SEED_DEMO: 'maybe' }, 'SEED_DEMO="maybe" is not valid; it accepts `1` or `0` (also true/false, yes/no, on/off)'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV="staging" is not valid; it accepts `production` or `development` or `test`'],
    [{ ADMIN_EMAILS: 'admin@example.org, not-an-address' }, 'ADMIN_EMAILS="admin@example.org, not-an-address" is not valid; it accepts e-mail addresses separated by commas or spaces'],
    [{ HIDDEN_SPLIT_ACCESS: 'everyone' }, 'HIDDEN_SPLIT_ACCESS="everyone" is not valid; it accepts `approved` or `institutional` or `verified`'],
    [{ SMTP_URL: 'smtps://user:hunter2@mail' + '.example.org:bad' }, 'SMTP_URL=(the value given) is not valid; it accepts a URL starting with smtp:// or smtps://'],
    [{ DEMO_SCALE: '2' }, 'DEMO_SCALE="2" is not valid; it accepts a whole number ≥ 3'],
    [{ JUDGE_URL: 'https://judge.example/v1', JUDGE_MODEL_VERSION: 'v1' }, 'JUDGE_MODEL is required when JUDGE_URL is set; it accepts a model name'],
  ])('refuses %j', (env, message) => {
    expect(problemsOf(env)).toEqual([message]);
  });

  it('names every bad variable in one message, in table order', () => {
    let message = '';
    try {
      readConfig({ DAILY_TEST_RUNS: '-3', SHARD_SIZE: 'fifty', PORT: '80', ITEM_CONCURRENCY: '0' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.split('\n')).toEqual([
      'Invalid configuration; fix these environment variables and start again:',
      '  SHARD_SIZE="fifty" is not valid; it accepts a whole number ≥ 1',
      '  ITEM_CONCURRENCY="0" is not valid; it accepts a whole number ≥ 1',
      '  DAILY_TEST_RUNS="-3" is not valid; it accepts a whole number ≥ 0',
    ]);
  });
});

describe('the README environment table', () => {
  it('is the one generated from the schema (npm run config:table rewrites it)', () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(readme).toContain(renderEnvTable());
    expect(withEnvTable(readme)).toBe(readme);
  });
});
