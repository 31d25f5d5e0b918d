/** Resident memory of another process, read from /proc (Linux; the platform's workers run Linux). */
import { readFile } from 'node:fs/promises';

/** RSS in bytes, or null when the process is gone or /proc is not available. */
export async function residentBytes(pid: number): Promise<number | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}
