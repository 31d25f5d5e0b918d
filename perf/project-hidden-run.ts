/**
 * Projects how long a full hidden-split run of a 7B model takes on this host, from decode times measured
 * on generated 7B-wide decoders with few layers (perf/gpu-check.sh runs `onnx-throughput --model w7b:2`
 * and `w7b:6`): ms per token is linear in the layer count (each layer streams its weights once per step),
 * so two points give the 28-layer cost. The run: the paper's hidden split, 294 text and 193 image
 * multiple-choice items and 87 reports; decode only (prefill is a small share at these lengths).
 *
 *   npx tsx perf/project-hidden-run.ts --batch 8 --measured 2=138.9,6=78.1 [--mcq-tokens 16 --report-tokens 512]
 *     (--measured: layers=tokens/s of all rows together at that batch, as onnx-throughput prints them)
 */

export interface LayerPoint {
  layers: number;
  /** Decode time per generated token at the batch measured (step time / rows), ms. */
  msPerToken: number;
}

export interface LayerFit {
  baseMs: number;
  perLayerMs: number;
}

/** Pure: least-squares line ms/token = baseMs + perLayerMs × layers through two or more points. */
export function fitLayers(points: LayerPoint[]): LayerFit {
  if (new Set(points.map((p) => p.layers)).size < 2) throw new Error('fitLayers needs measurements at two or more layer counts');
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.layers, 0) / n;
  const my = points.reduce((s, p) => s + p.msPerToken, 0) / n;
  const sxx = points.reduce((s, p) => s + (p.layers - mx) ** 2, 0);
  const sxy = points.reduce((s, p) => s + (p.layers - mx) * (p.msPerToken - my), 0);
  const perLayerMs = sxy / sxx;
  return { baseMs: my - perLayerMs * mx, perLayerMs };
}

export const HIDDEN_SPLIT = { textMcq: 294, imageMcq: 193, reports: 87 } as const;

export interface RunProjection {
  msPerToken: number;
  tokens: number;
  seconds: number;
}

/** Pure: decode time of the whole hidden split at `layers`, each MCQ answer `mcqTokens` long, each report `reportTokens`. */
export function projectHiddenRun(fit: LayerFit, layers: number, mcqTokens: number, reportTokens: number): RunProjection {
  const msPerToken = fit.baseMs + fit.perLayerMs * layers;
  const tokens = (HIDDEN_SPLIT.textMcq + HIDDEN_SPLIT.imageMcq) * mcqTokens + HIDDEN_SPLIT.reports * reportTokens;
  return { msPerToken, tokens, seconds: (tokens * msPerToken) / 1000 };
}

/** Pure: `2=138.9,6=78.1` (layers=tokens/s of the batch) as points. */
export function parseMeasured(text: string): LayerPoint[] {
  return text.split(',').map((pair) => {
    const [layers, tokensPerSecond] = pair.split('=').map(Number);
    if (!(layers > 0) || !(tokensPerSecond > 0)) throw new Error(`--measured: "${pair}" is not LAYERS=TOKENS_PER_SECOND`);
    return { layers, msPerToken: 1000 / tokensPerSecond };
  });
}

function arg(name: string, fallback?: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? process.argv[i + 1] : fallback;
  if (value === undefined) throw new Error(`--${name} is required`);
  return value;
}

if (process.argv[1]?.endsWith('project-hidden-run.ts') || process.argv[1]?.endsWith('project-hidden-run.js')) {
  const fit = fitLayers(parseMeasured(arg('measured')));
  const run = projectHiddenRun(fit, 28, Number(arg('mcq-tokens', '16')), Number(arg('report-tokens', '512')));
  const minutes = run.seconds / 60;
  console.log(`batch ${arg('batch', '1')}: ${fit.baseMs.toFixed(2)} ms + ${fit.perLayerMs.toFixed(2)} ms × layers per generated token`);
  console.log(`7B (28 layers): ${run.msPerToken.toFixed(1)} ms per generated token (${(1000 / run.msPerToken).toFixed(1)} tok/s); hidden split ${run.tokens} tokens → ${minutes.toFixed(1)} min (goal ≤ 10 min: ${minutes <= 10 ? 'met' : 'not met'})`);
}
