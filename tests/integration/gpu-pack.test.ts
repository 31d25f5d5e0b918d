/**
 * The GPU pack runs where there is no repository, no node_modules of ours and no Node on the PATH: the
 * device probe and the platform's ONNX path (runner child included) from the pack's own Node binary and
 * bundles, with an empty environment (perf/gpu-pack.ts, docs/onnx-submissions.md).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('the GPU pack (folder form)', () => {
  let tmp: string;
  let root: string;
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'sbh-gpu-pack-'));
    await run('npx', ['tsx', 'perf/gpu-pack.ts', tmp, '--folder-only'], { timeout: 120_000 });
    root = path.join(tmp, 'spinebench-gpu-pack');
  }, 150_000);
  afterAll(async () => rm(tmp, { recursive: true, force: true }));

  const bare = () => ({ cwd: root, env: { PATH: '/usr/bin:/bin', HOME: tmp, NODE_ENV: 'production' } as NodeJS.ProcessEnv, timeout: 120_000, encoding: 'utf8' as const });

  it('holds a Node binary, the bundles, the linux-x64 binding only, and the check script', () => {
    for (const file of ['node', 'bin/runner-child.js', 'bin/device-probe.js', 'bin/onnx-throughput.js', 'gpu-check.sh', 'tests/fixtures/tiny-vlm/config.json', 'tests/fixtures/tiny-qwen2-vl/config.json', 'tests/fixtures/tiny-qwen2_5-vl/config.json']) {
      expect(existsSync(path.join(root, file)), file).toBe(true);
    }
    expect(existsSync(path.join(root, 'node_modules/onnxruntime-node/bin/napi-v6/linux/x64/onnxruntime_binding.node'))).toBe(true);
    expect(existsSync(path.join(root, 'node_modules/onnxruntime-node/bin/napi-v6/darwin'))).toBe(false);
  });

  it('probes the devices with the runner\'s own code, from an empty environment', async () => {
    const { stdout } = await run(path.join(root, 'node'), ['bin/device-probe.js'], bare());
    const probe = JSON.parse(stdout) as { cuda: { available: boolean; reason?: string }; auto: { device: string } };
    expect(probe.cuda).toEqual({ available: false, reason: 'CUDA execution provider library not installed' });
    expect(probe.auto.device).toBe('cpu');
  }, 60_000);

  it.each(['fixture', 'qwen2_5_vl'])('runs the platform path (runner child included) and the bare loop on %s, with the same greedy output', async (model) => {
    const { stdout } = await run(path.join(root, 'node'), ['bin/onnx-throughput.js', '--model', model, '--device', 'cpu', '--runs', '1', '--new-tokens', '8'], bare());
    expect(stdout).toMatch(/^platform \(adapter → child → transformers\.js\): .* tok\/s/m);
    expect(stdout).toMatch(/^same greedy output: yes$/m);
  }, 120_000);
});
