/** What bundle validation tells the team: each problem names the file and, where it helps, the field. */
export interface BundleProblem {
  /** Path inside the bundle, e.g. `onnx/decoder_model_merged.onnx` or `spinebench-manifest.json`. */
  file: string;
  /** Field, graph input/output or node the problem is about, when there is one. */
  field?: string;
  message: string;
}

export function formatProblem(p: BundleProblem): string {
  return `${p.file}${p.field ? ` (${p.field})` : ''}: ${p.message}`;
}
