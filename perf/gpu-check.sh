#!/usr/bin/env bash
# GPU check for ONNX workers: runs the platform's ONNX path (adapter → runner child → transformers.js →
# onnxruntime-node) on CUDA and on CPU with the same model and prompt, and prints tokens/s for both
# (and, for each, the bare onnxruntime-node loop on the same device, as perf/onnx-throughput.ts does).
#
#   perf/gpu-check.sh [MODEL]     MODEL: wide (default, ≈100 MB generated locally), fixture, or a bundle folder
#
# Needs: an NVIDIA GPU with CUDA 12 runtime, cuBLAS and cuDNN 9 on the host, and the CUDA execution
# provider for onnxruntime-node beside its binding (see docs/onnx-submissions.md, "GPU workers").
# Not run in development: the development machine has no GPU.
set -euo pipefail
cd "$(dirname "$0")/.."
MODEL="${1:-wide}"
NEW_TOKENS="${NEW_TOKENS:-64}"
RUNS="${RUNS:-5}"

BIN_DIR="$(node -e "const p=require('path');console.log(p.join(p.dirname(require.resolve('onnxruntime-node/package.json')),'bin/napi-v6',process.platform,process.arch))")"
echo "== host"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>/dev/null || echo "nvidia-smi not found"
echo "onnxruntime-node: $(node -p "require('onnxruntime-node/package.json').version")  binding dir: $BIN_DIR"
for lib in libonnxruntime_providers_shared.so libonnxruntime_providers_cuda.so; do
  if [[ -f "$BIN_DIR/$lib" ]]; then echo "found $lib"; else
    echo "MISSING $BIN_DIR/$lib: install the CUDA execution provider first (docs/onnx-submissions.md, GPU workers)"; exit 2; fi
done
echo "missing shared libraries of the CUDA provider (empty = none):"
ldd "$BIN_DIR/libonnxruntime_providers_cuda.so" | grep 'not found' || true

echo "== CUDA provider probe (the same check the runner makes)"
npx tsx -e "import('./evaluator/onnx/cuda-detect').then(async m => { const r = await m.detectCuda(); console.log(JSON.stringify(r)); if (!r.available) process.exit(3); })"

echo "== platform path and bare loop on CUDA"
npx tsx perf/onnx-throughput.ts --model "$MODEL" --device cuda --runs "$RUNS" --new-tokens "$NEW_TOKENS" | tee /tmp/gpu-check-cuda.txt
echo "== platform path and bare loop on CPU"
npx tsx perf/onnx-throughput.ts --model "$MODEL" --device cpu --runs "$RUNS" --new-tokens "$NEW_TOKENS" | tee /tmp/gpu-check-cpu.txt

cuda_tps=$(grep '^platform' /tmp/gpu-check-cuda.txt | grep -o '[0-9.]* tok/s' | head -1 | cut -d' ' -f1)
cpu_tps=$(grep '^platform' /tmp/gpu-check-cpu.txt | grep -o '[0-9.]* tok/s' | head -1 | cut -d' ' -f1)
echo "== summary: platform path ${cuda_tps} tok/s on CUDA vs ${cpu_tps} tok/s on CPU (speed-up $(node -p "($cuda_tps / $cpu_tps).toFixed(2)")x)"
