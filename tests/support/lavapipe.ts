import { existsSync } from 'node:fs';
import path from 'node:path';

const ICD_FOLDERS = ['/usr/share/vulkan/icd.d', '/etc/vulkan/icd.d'];
const VULKAN_LOADERS = ['/usr/lib/x86_64-linux-gnu/libvulkan.so.1', '/usr/lib/aarch64-linux-gnu/libvulkan.so.1', '/usr/lib/libvulkan.so.1'];

/**
 * The ICD manifest of lavapipe, Mesa's software Vulkan driver, which runs the WebGPU path on a machine
 * without a GPU (Debian: libvulkan1 and mesa-vulkan-drivers from bookworm-backports, which `.ci/run`
 * installs). In CI a missing driver is a failure; elsewhere the WebGPU tests skip, loudly.
 */
export function lavapipeIcdOrSkip(): string | null {
  const icd = ICD_FOLDERS.map((dir) => path.join(dir, 'lvp_icd.json')).find((file) => existsSync(file));
  const loader = VULKAN_LOADERS.some((file) => existsSync(file));
  if (icd && loader) return icd;
  const missing = [!loader && 'the Vulkan loader (libvulkan1)', !icd && "lavapipe (mesa-vulkan-drivers' lvp_icd.json)"].filter(Boolean).join(' and ');
  if (process.env.CI) throw new Error(`CI needs ${missing} for the WebGPU tests (.ci/run installs them).`);
  console.warn(`\n*** SKIPPING WebGPU tests: ${missing} not installed. CI would fail here. ***\n`);
  return null;
}
