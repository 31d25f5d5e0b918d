/** One problem found in a release, naming where it is. */
export interface ReleaseProblem {
  /** Release-relative file (`manifest.json`, `items.jsonl`, `images/x.png`) or the archive entry. */
  file: string;
  /** 1-based line in items.jsonl, where it applies. */
  line?: number;
  /** Dotted field path inside the line's JSON object (`options.B`, `levels.2`), where it applies. */
  field?: string;
  message: string;
}

export function formatProblem(problem: ReleaseProblem): string {
  const where = [problem.file, problem.line !== undefined ? `line ${problem.line}` : '', problem.field ? `field ${problem.field}` : '']
    .filter(Boolean)
    .join(', ');
  return `${where}: ${problem.message}`;
}

/** Thrown when a release fails validation; carries every problem found (up to a cap), nothing was written. */
export class ReleaseValidationError extends Error {
  readonly problems: ReleaseProblem[];
  constructor(problems: ReleaseProblem[], truncated = false) {
    const lines = problems.slice(0, 20).map(formatProblem);
    const more = problems.length > 20 || truncated ? `\n… and more (${problems.length}${truncated ? '+' : ''} problems in all)` : '';
    super(`Release is invalid (${problems.length}${truncated ? '+' : ''} problem${problems.length === 1 ? '' : 's'}):\n${lines.join('\n')}${more}`);
    this.name = 'ReleaseValidationError';
    this.problems = problems;
  }
}
