#!/usr/bin/env bash
# GPU check for ONNX workers, in one run of at most about 5 minutes: which devices this host offers (the
# runner's own probe), then the platform's ONNX path (adapter → runner child → transformers.js →
# onnxruntime-node) and a bare onnxruntime-node loop on each device (cuda when its provider is installed,
# webgpu when a Vulkan adapter opens, and cpu), per model and batch size: tokens/s, peak GPU memory, and
# whether the greedy outputs agree across devices.
#
#   perf/gpu-check.sh                      from a checkout (npx tsx)
#   ./gpu-check.sh                         from an unpacked GPU pack (npm run gpu:pack): no Node, npm or
#                                          network needed on the host
# On a GPU it first generates decoders of a 7B model's width with 2 and 6 layers (W7B_LAYERS; ~0.75 GB
# each layer, external data), measures them per batch size (W7B_BATCHES) and projects a 28-layer model's
# full hidden-split run (perf/project-hidden-run.ts).
# Settings: MODELS ("fixture qwen2_vl qwen2_5_vl wide"), BATCHES ("1 2 4 8"), RUNS (3), NEW_TOKENS (64), BUDGET_S (280),
#           W7B_LAYERS ("2 6"), W7B_BATCHES ("1 8").
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [[ -x "$here/node" && -f "$here/bin/onnx-throughput.js" ]]; then
  cd "$here"; NODE="$here/node"
  run() { "$NODE" "bin/$1.js" "${@:2}"; }
else
  cd "$here/.."; NODE=node
  run() { npx tsx "perf/$1.ts" "${@:2}"; }
fi
MODELS="${MODELS:-fixture qwen2_vl qwen2_5_vl wide}"
BATCHES="${BATCHES:-1 2 4 8}"
RUNS="${RUNS:-3}"
NEW_TOKENS="${NEW_TOKENS:-64}"
BUDGET_S="${BUDGET_S:-280}"
out="$(mktemp -d)"

echo "== host"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>/dev/null || echo "nvidia-smi: not found"
echo "node $("$NODE" --version); Vulkan drivers: ${VK_DRIVER_FILES:-$(ls /usr/share/vulkan/icd.d /etc/vulkan/icd.d 2>/dev/null | grep json | tr '\n' ' ')}"

echo "== device probe (the runner's own)"
run device-probe 2>/dev/null | tee "$out/probe.json"
devices="$("$NODE" -e "const p=JSON.parse(require('fs').readFileSync('$out/probe.json','utf8'));console.log([p.cuda.available&&'cuda',p.webgpu.available&&'webgpu','cpu'].filter(Boolean).join(' '))")"
echo "devices to measure: $devices"

gpu_devices="$("$NODE" -e "const p=JSON.parse(require('fs').readFileSync('$out/probe.json','utf8'));console.log([p.cuda.available&&'cuda',p.webgpu.available&&!p.webgpu.software&&'webgpu'].filter(Boolean).join(' '))")"

# Peak GPU memory, sampled every 200 ms while the measurements run (NVIDIA only).
if command -v nvidia-smi >/dev/null 2>&1; then
  nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits -lms 200 > "$out/gpu-mem.txt" 2>/dev/null &
  sampler=$!
fi

# A 7B model's width on each GPU device: tokens/s at 2 and 6 layers, projected to 28 and a full hidden run.
for device in $gpu_devices; do
  for batch in ${W7B_BATCHES:-1 8}; do
    measured=""
    for layers in ${W7B_LAYERS:-2 6}; do
      if (( SECONDS > BUDGET_S / 2 )); then echo "half the budget spent: skipping w7b:$layers on $device batch $batch"; continue; fi
      echo "== 7B-wide decoder, $layers layers, on $device, batch $batch"
      log="$out/w7b-$layers-$device-$batch.txt"
      run onnx-throughput --model "w7b:$layers" --device "$device" --batch "$batch" --runs 1 --new-tokens 32 2>&1 | tee "$log"
      if (( batch > 1 )); then pattern="^platform batch $batch:"; else pattern='^platform ('; fi
      tps=$(grep -m1 "$pattern" "$log" | grep -o '[0-9.]* tok/s' | head -1 | cut -d' ' -f1)
      [[ -n "$tps" ]] && measured="${measured:+$measured,}$layers=$tps"
    done
    if [[ "$measured" == *,* ]]; then
      run project-hidden-run --batch "$batch" --measured "$measured" | tee -a "$out/projection.txt"
    fi
  done
done

printf '%-10s %-7s %-6s %12s %12s %s\n' model device batch 'platform t/s' 'bare t/s' 'output' > "$out/summary.txt"
for model in $MODELS; do
  for device in $devices; do
    for batch in $BATCHES; do
      if (( SECONDS > BUDGET_S )); then echo "budget of ${BUDGET_S} s spent: skipping $model $device batch $batch"; continue; fi
      echo "== $model on $device, batch $batch"
      log="$out/$model-$device-$batch.txt"
      run onnx-throughput --model "$model" --device "$device" --batch "$batch" --runs "$RUNS" --new-tokens "$NEW_TOKENS" 2>&1 | tee "$log"
      if (( batch > 1 )); then pattern="^platform batch $batch:"; else pattern='^platform ('; fi
      platform=$(grep -m1 "$pattern" "$log" | grep -o '[0-9.]* tok/s' | head -1 | cut -d' ' -f1)
      bare=$(grep -m1 '^bare' "$log" | grep -o '[0-9.]* tok/s' | head -1 | cut -d' ' -f1)
      digest=$(grep -m1 '^output digest' "$log" | awk '{print $3}')
      printf '%-10s %-7s %-6s %12s %12s %s\n' "$model" "$device" "$batch" "${platform:-failed}" "${bare:--}" "${digest:--}" >> "$out/summary.txt"
    done
  done
done
[[ -n "${sampler:-}" ]] && kill "$sampler" 2>/dev/null

echo "== summary (${SECONDS} s)"
cat "$out/summary.txt"
[[ -s "$out/projection.txt" ]] && { echo "== projected 7B hidden-split run"; cat "$out/projection.txt"; }
if [[ -s "$out/gpu-mem.txt" ]]; then echo "peak GPU memory: $(sort -n "$out/gpu-mem.txt" | tail -1) MiB"; fi
# The same model must give the same greedy tokens on every device and batch size.
disagree=$(awk 'NR>1 && $6!="-" {d[$1]=d[$1]" "$6} END {for (m in d) {n=split(d[m],a," "); for(i=2;i<=n;i++) if (a[i]!=a[1]) print m}}' "$out/summary.txt" | sort -u)
if [[ -n "$disagree" ]]; then echo "OUTPUTS DIFFER across devices or batch sizes for: $disagree"; exit 1; fi
echo "outputs agree across devices and batch sizes"
