/**
 * One decode step of the generated wide model's decoder (hidden 512 × 8 layers, ≈ 100 MB), timed alone with
 * onnxruntime-node: batch 1, 2, 4, 8 at a short and a long cache. Shows how much of a batched step is the
 * KV cache (concatenated into new `present` outputs and copied into JavaScript every step) rather than
 * the weights (decision 213). No transformers.js, no preprocessing.
 *
 *   npx tsx perf/onnx-decoder-step.ts [--positions 8,200]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { writeTinyVlm } from '../evaluator/onnx/fixture/make-tiny-vlm';

const HIDDEN = 512;
const LAYERS = 8;
const HEADS = 8;
const i = process.argv.indexOf('--positions');
const positions = (i >= 0 ? process.argv[i + 1] : '8,200').split(',').map(Number);

const tmp = await mkdtemp(path.join(os.tmpdir(), 'onnx-step-'));
try {
  await writeTinyVlm(tmp, { hidden: HIDDEN, layers: LAYERS, heads: HEADS, intermediate: 4 * HIDDEN });
  const session = await ort.InferenceSession.create(path.join(tmp, 'onnx', 'decoder_model_merged.onnx'), { executionProviders: ['cpu'] });
  for (const past of positions) {
    for (const batch of [1, 2, 4, 8]) {
      const feeds: Record<string, ort.Tensor> = {
        inputs_embeds: new ort.Tensor('float32', new Float32Array(batch * HIDDEN).map(() => Math.random()), [batch, 1, HIDDEN]),
        attention_mask: new ort.Tensor('int64', new BigInt64Array(batch * (past + 1)).fill(1n), [batch, past + 1]),
        position_ids: new ort.Tensor('int64', new BigInt64Array(batch).fill(BigInt(past)), [batch, 1]),
      };
      for (let l = 0; l < LAYERS; l++) {
        for (const kind of ['key', 'value']) {
          feeds[`past_key_values.${l}.${kind}`] = new ort.Tensor('float32', new Float32Array(batch * HEADS * past * (HIDDEN / HEADS)), [batch, HEADS, past, HIDDEN / HEADS]);
        }
      }
      for (let w = 0; w < 5; w++) await session.run(feeds);
      const times: number[] = [];
      for (let r = 0; r < 31; r++) {
        const t = performance.now();
        await session.run(feeds);
        times.push(performance.now() - t);
      }
      const median = times.sort((a, b) => a - b)[15];
      console.log(`cache ${past} positions, batch ${batch}: ${median.toFixed(2)} ms per step, ${(median / batch).toFixed(2)} ms per row`);
    }
  }
  await session.release();
} finally {
  await rm(tmp, { recursive: true, force: true });
}
