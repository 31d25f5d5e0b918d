/**
 * Builds the GPU pack: one self-contained, compressed file that runs the GPU check (perf/gpu-check.sh) on
 * a host with no network, no Node and no registry — a lent GPU machine, or a hospital's air-gapped GPU
 * worker. It holds a Node binary, esbuild bundles of the runner child, the device probe and the throughput
 * script, only the native packages they load (onnxruntime-node for linux-x64, sharp and libvips), and the
 * tiny llava and Qwen fixtures. See docs/onnx-submissions.md, "GPU workers: checking a GPU host offline".
 *
 *   npm run gpu:pack [-- OUT_DIR]        → OUT_DIR/spinebench-gpu-pack.tar.xz (default dist/gpu-pack)
 *   npm run gpu:pack -- OUT_DIR --folder-only    the unpacked folder alone (tests/integration/gpu-pack.test.ts)
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** The most a GPU host takes in (the lent machines' carry limit). */
const MAX_PACK_BYTES = 64 * 1024 * 1024;
const ENTRIES = { 'runner-child': 'evaluator/onnx/runner-child.ts', 'device-probe': 'perf/device-probe.ts', 'onnx-throughput': 'perf/onnx-throughput.ts', 'project-hidden-run': 'perf/project-hidden-run.ts' };
/** Loaded at run time from node_modules, with their native libraries (linux-x64 only). */
const NATIVE_PACKAGES = ['onnxruntime-node', 'onnxruntime-common', 'sharp', '@img/colour', '@img/sharp-linux-x64', '@img/sharp-libvips-linux-x64', 'detect-libc', 'semver'];
const ORT_BINARIES = 'bin/napi-v6/linux/x64/';

/** onnxruntime-node without what the binding does not need: other platforms' binaries, its installer. */
function keepInOnnxruntime(relative: string): boolean {
  const p = relative + '/';
  if (p.startsWith('script/') || p.startsWith('lib/')) return false;
  if (!p.startsWith('bin/')) return true;
  return ORT_BINARIES.startsWith(p) || p.startsWith(ORT_BINARIES);
}

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** npm hoists these to the top-level node_modules (package exports forbid resolving their package.json). */
function packageDir(name: string): string {
  const dir = path.join(REPO, 'node_modules', name);
  if (!existsSync(path.join(dir, 'package.json'))) throw new Error(`${name} is not installed in node_modules (run npm ci first).`);
  return dir;
}

function copyPackage(name: string, into: string): void {
  const from = packageDir(name);
  cpSync(from, path.join(into, 'node_modules', name), {
    recursive: true,
    dereference: true,
    filter: (src) => name !== 'onnxruntime-node' || keepInOnnxruntime(path.relative(from, src)),
  });
}

async function main(): Promise<void> {
  if (process.platform !== 'linux' || process.arch !== 'x64') throw new Error(`The GPU pack is built for linux-x64 hosts; this is ${process.platform}-${process.arch}.`);
  const args = process.argv.slice(2);
  const outDir = path.resolve(args.find((a) => !a.startsWith('--')) ?? 'dist/gpu-pack');
  const root = path.join(outDir, 'spinebench-gpu-pack');
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(path.join(root, 'bin'), { recursive: true });

  await build({
    entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([name, file]) => [name, path.join(REPO, file)])),
    outdir: path.join(root, 'bin'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['onnxruntime-node', 'sharp'],
    // Bundled CommonJS code calls require(); give ESM bundles one.
    banner: { js: "import { createRequire as __sbhCreateRequire } from 'node:module'; const require = __sbhCreateRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'spinebench-gpu-pack', private: true, type: 'module' }, null, 2) + '\n');
  for (const name of NATIVE_PACKAGES) copyPackage(name, root);
  for (const fixture of ['tiny-vlm', 'tiny-qwen2-vl', 'tiny-qwen2_5-vl']) {
    cpSync(path.join(REPO, 'tests/fixtures', fixture), path.join(root, 'tests/fixtures', fixture), { recursive: true });
  }
  copyFileSync(path.join(REPO, 'perf/gpu-check.sh'), path.join(root, 'gpu-check.sh'));
  chmodSync(path.join(root, 'gpu-check.sh'), 0o755);
  copyFileSync(process.execPath, path.join(root, 'node'));
  chmodSync(path.join(root, 'node'), 0o755);
  writeFileSync(
    path.join(root, 'VERSIONS.txt'),
    [`node ${process.version}`, ...NATIVE_PACKAGES.map((n) => `${n} ${JSON.parse(readFileSync(path.join(packageDir(n), 'package.json'), 'utf8')).version}`)].join('\n') + '\n',
  );

  if (!existsSync(path.join(root, 'bin', 'runner-child.js'))) throw new Error('runner-child.js is missing from the pack');
  if (args.includes('--folder-only')) {
    console.log(`${root}: the pack's folder (not compressed)`);
    return;
  }
  const archive = path.join(outDir, 'spinebench-gpu-pack.tar.xz');
  execFileSync('tar', ['-cJf', archive, '-C', outDir, 'spinebench-gpu-pack'], { env: { ...process.env, XZ_OPT: '-6 -T0' }, stdio: 'inherit' });
  const bytes = statSync(archive).size;
  const mib = (bytes / 2 ** 20).toFixed(1);
  if (bytes > MAX_PACK_BYTES) throw new Error(`The pack is ${mib} MiB, over the ${MAX_PACK_BYTES / 2 ** 20} MiB a GPU host takes in.`);
  console.log(`${archive}: ${mib} MiB (limit ${MAX_PACK_BYTES / 2 ** 20} MiB)`);
  console.log(`On the GPU host: tar -xJf spinebench-gpu-pack.tar.xz && cd spinebench-gpu-pack && ./gpu-check.sh`);
}

await main();
