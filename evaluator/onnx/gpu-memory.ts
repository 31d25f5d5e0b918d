/**
 * Total and used memory of the GPU a CUDA runner will use, from nvidia-smi (docs/decisions/212).
 * Unknown (null) when nvidia-smi is absent or fails: the memory check then covers host memory only.
 */
import { execFile } from 'node:child_process';

export interface GpuMemory {
  totalBytes: number;
  usedBytes: number;
  freeBytes: number;
}

const MiB = 1024 * 1024;

/** Parses `--query-gpu=memory.total,memory.used --format=csv,noheader,nounits` (MiB); first line = first GPU. */
export function parseNvidiaSmiMemory(stdout: string): GpuMemory | null {
  const match = /^\s*(\d+)\s*,\s*(\d+)\s*$/m.exec(stdout);
  if (!match) return null;
  const totalBytes = Number(match[1]) * MiB;
  const usedBytes = Number(match[2]) * MiB;
  return { totalBytes, usedBytes, freeBytes: Math.max(0, totalBytes - usedBytes) };
}

/**
 * ORT's CUDA provider uses device 0 of those visible; nvidia-smi ignores CUDA_VISIBLE_DEVICES, so the
 * first visible index (or UUID) is asked for by id.
 */
function visibleGpuId(env: NodeJS.ProcessEnv): string | null {
  const first = (env.CUDA_VISIBLE_DEVICES ?? env.NVIDIA_VISIBLE_DEVICES ?? '').split(',')[0]?.trim();
  return first && /^(\d+|GPU-[0-9a-fA-F-]+)$/.test(first) ? first : null;
}

export function queryGpuMemory(env: NodeJS.ProcessEnv = process.env, command = 'nvidia-smi'): Promise<GpuMemory | null> {
  const id = visibleGpuId(env);
  const args = ['--query-gpu=memory.total,memory.used', '--format=csv,noheader,nounits', ...(id ? [`--id=${id}`] : [])];
  return new Promise((resolve) => {
    execFile(command, args, { timeout: 10_000, encoding: 'utf8', env: { PATH: env.PATH ?? '' } as unknown as NodeJS.ProcessEnv }, (error, stdout) => {
      resolve(error ? null : parseNvidiaSmiMemory(stdout));
    });
  });
}
