/**
 * What GPU a WebGPU or CUDA session runs on, as far as the host tells: onnxruntime-node does not report
 * Dawn's adapter, so the name and driver come from nvidia-smi when an NVIDIA driver is present, else from
 * the Vulkan driver manifests (ICD files) the loader would read. Recorded with each ONNX run.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

export interface GpuAdapterInfo {
  name: string;
  driver: string;
  /** A software rasteriser (lavapipe): runs the WebGPU path on the CPU. */
  software: boolean;
  /** Where name and driver were read. */
  source: 'nvidia-smi' | 'vulkan-icd' | 'unknown';
}

const ICD_FOLDERS = ['/etc/vulkan/icd.d', '/usr/share/vulkan/icd.d', '/usr/local/share/vulkan/icd.d'];

/** A GPU device node: NVIDIA's, or a DRM render node (AMD, Intel, …). Containers without a GPU have neither. */
export function hardwareGpuPresent(): boolean {
  if (existsSync('/dev/nvidia0')) return true;
  try {
    return readdirSync('/dev/dri').some((name) => name.startsWith('renderD'));
  } catch {
    return false;
  }
}

async function nvidiaSmi(): Promise<GpuAdapterInfo | null> {
  try {
    const { stdout } = await promisify(execFile)('nvidia-smi', ['--query-gpu=name,driver_version', '--format=csv,noheader'], { timeout: 5000 });
    const [name, driver] = stdout.split('\n')[0].split(',').map((s) => s.trim());
    return name ? { name, driver: `NVIDIA ${driver}`, software: false, source: 'nvidia-smi' } : null;
  } catch {
    return null;
  }
}

/** The Vulkan driver manifests in effect: the ones VK_DRIVER_FILES / VK_ICD_FILENAMES name, else the installed ones. */
export function vulkanDriverFiles(env: NodeJS.ProcessEnv = process.env): string[] {
  const named = env.VK_DRIVER_FILES ?? env.VK_ICD_FILENAMES;
  if (named) return named.split(path.delimiter).filter(Boolean);
  return ICD_FOLDERS.flatMap((dir) => {
    try {
      return readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => path.join(dir, f));
    } catch {
      return [];
    }
  });
}

export interface IcdManifest {
  library: string;
  apiVersion: string;
}

function readIcd(file: string): IcdManifest | null {
  try {
    const json = JSON.parse(readFileSync(file, 'utf8')) as { ICD?: { library_path?: string; api_version?: string } };
    return json.ICD?.library_path ? { library: path.basename(json.ICD.library_path), apiVersion: json.ICD.api_version ?? '?' } : null;
  } catch {
    return null;
  }
}

/** Pure: name the adapter from the Vulkan drivers the loader may use. */
export function describeFromIcds(icds: IcdManifest[], gpuPresent: boolean): GpuAdapterInfo {
  const lavapipe = icds.find((icd) => /vulkan_lvp/.test(icd.library));
  if (lavapipe && (!gpuPresent || icds.length === 1)) {
    return { name: 'lavapipe (Mesa software Vulkan)', driver: `Vulkan ${lavapipe.apiVersion}`, software: true, source: 'vulkan-icd' };
  }
  const hardware = icds.filter((icd) => icd !== lavapipe);
  if (hardware.length === 0) return { name: 'unknown', driver: 'unknown', software: false, source: 'unknown' };
  return {
    name: `Vulkan GPU (${hardware.map((icd) => icd.library.replace(/^libvulkan_|\.so.*$/g, '')).join(' or ')} driver)`,
    driver: hardware.map((icd) => `Vulkan ${icd.apiVersion}`).join(', '),
    software: false,
    source: 'vulkan-icd',
  };
}

export async function describeGpuAdapter(): Promise<GpuAdapterInfo> {
  const nvidia = await nvidiaSmi();
  if (nvidia) return nvidia;
  const icds = vulkanDriverFiles().map(readIcd).filter((icd): icd is IcdManifest => icd !== null);
  return describeFromIcds(icds, hardwareGpuPresent());
}
