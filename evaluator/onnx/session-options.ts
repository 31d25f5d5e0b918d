/**
 * onnxruntime session options every model session of the runner gets (and the perf scripts' bare loops, so
 * that their reference stays fair).
 *
 * No spinning: by default each session's intra-op threads busy-wait after a run for the next one. A model
 * is three sessions (vision encoder, embeddings, decoder), each with its own pool, and a step runs the
 * embeddings and then the decoder, so the idle pool spins on the cores the busy one needs (and on the
 * worker's). In one process the platform's loop on the ≈ 100 MB generated model went from 5.2 to 4.6 ms per
 * token at batch 1; through the adapter the gain is inside run-to-run noise (docs/decisions/215-onnx-no-spinning.md).
 */
import type { InferenceSession } from 'onnxruntime-node';

export const RUNNER_SESSION_OPTIONS: InferenceSession.SessionOptions = Object.freeze({
  extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
});
