/**
 * Which ONNX devices this host can use, as the runner decides it: each provider proven by opening a
 * one-node session, and what `auto` would pick. Prints one JSON object; exit code 0.
 *
 *   npx tsx perf/device-probe.ts          (in a GPU pack: ./node bin/device-probe.js)
 */
import { chooseDevice } from '../evaluator/onnx/choose-device';
import { detectCuda } from '../evaluator/onnx/cuda-detect';
import { describeGpuAdapter, hardwareGpuPresent, vulkanDriverFiles } from '../evaluator/onnx/gpu-adapter-info';
import { detectWebGpu } from '../evaluator/onnx/webgpu-detect';

const [cuda, webgpu, adapter] = await Promise.all([detectCuda(), detectWebGpu(), describeGpuAdapter()]);
const auto = await chooseDevice('auto', { cuda: async () => cuda, webgpu: async () => webgpu });
console.log(
  JSON.stringify(
    { cuda, webgpu, auto: { device: auto.device, skipped: auto.skipped }, adapter, hardwareGpuPresent: hardwareGpuPresent(), vulkanDriverFiles: vulkanDriverFiles() },
    null,
    2,
  ),
);
