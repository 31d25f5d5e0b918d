/**
 * The summary of a local dev-split run: built from the scorer's aggregate (so the numbers are the
 * platform's), and rendered as a table or JSON. Pure.
 */
import type { JudgeIdentity } from '../judge/config';
import type { ItemScore, LevelErrorClass, RunAggregate, ScoreWithInterval } from '../scoring';
import type { DevItemResult } from './evaluate-dev-split';

export type ModelDescription =
  | { kind: 'endpoint'; url: string; model: string }
  | { kind: 'onnx'; dir: string; device: string | null };

export interface EvalSummary {
  release: { name: string; version: string; contentHash: string };
  split: 'dev';
  model: ModelDescription;
  items: { evaluated: number; devTotal: number; failed: number; failuresByCode: Record<string, number> };
  scorerVersion: string;
  reportMethod: RunAggregate['reportMethod'];
  judge: JudgeIdentity | null;
  /** 0–100 with item count and 95% bootstrap interval; null where the part has no items. */
  scores: {
    overall: ScoreWithInterval | null;
    textMcq: ScoreWithInterval | null;
    imageMcq: ScoreWithInterval | null;
    mcq: ScoreWithInterval | null;
    report: ScoreWithInterval | null;
    /** The judge-free report check; equal to `report` when no judge was used. */
    reportCheck: ScoreWithInterval | null;
  };
  noAnswer: RunAggregate['noAnswer'];
  /** Level questions among the MCQs, by error class (counts). */
  levels: { n: number } & Record<LevelErrorClass, number>;
  unscoredReports: number;
}

export interface SummaryInput {
  release: EvalSummary['release'];
  model: ModelDescription;
  devTotal: number;
  results: readonly DevItemResult[];
  aggregate: RunAggregate;
}

export function levelErrorCounts(scores: readonly ItemScore[]): EvalSummary['levels'] {
  const counts = { n: 0, exact: 0, equivalent: 0, off_by_one: 0, worse: 0, no_level: 0 };
  for (const s of scores) {
    if (s.task !== 'mcq' || !s.detail.levels) continue;
    counts.n++;
    counts[s.detail.levels.errorClass]++;
  }
  return counts;
}

export function buildSummary(input: SummaryInput): EvalSummary {
  const { aggregate, results } = input;
  const failuresByCode: Record<string, number> = {};
  for (const r of results) if (r.error) failuresByCode[r.error.code] = (failuresByCode[r.error.code] ?? 0) + 1;
  return {
    release: input.release,
    split: 'dev',
    model: input.model,
    items: { evaluated: results.length, devTotal: input.devTotal, failed: results.filter((r) => r.error).length, failuresByCode },
    scorerVersion: aggregate.scorerVersion,
    reportMethod: aggregate.reportMethod,
    judge: aggregate.judge,
    scores: {
      overall: aggregate.overall,
      textMcq: aggregate.parts.text_mcq,
      imageMcq: aggregate.parts.image_mcq,
      mcq: aggregate.mcq,
      report: aggregate.parts.report,
      reportCheck: aggregate.reportDeterministic,
    },
    noAnswer: aggregate.noAnswer,
    levels: levelErrorCounts(results.map((r) => r.score)),
    unscoredReports: aggregate.unscored.count,
  };
}

const fixed = (x: number) => x.toFixed(1);
const percent = (count: number, n: number) => (n === 0 ? '—' : `${((100 * count) / n).toFixed(1)}%`);

function describeModel(model: ModelDescription): string {
  if (model.kind === 'endpoint') return `endpoint ${model.url} (model "${model.model}")`;
  return `ONNX bundle ${model.dir}${model.device ? ` on ${model.device.toUpperCase()}` : ''}`;
}

/** Left-aligns the first column and right-aligns the others. */
function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd());
}

function scoreRow(label: string, s: ScoreWithInterval | null, note = ''): string[] {
  if (!s) return [label, '0', '—', '—', note];
  return [label, String(s.n), fixed(s.score), `[${fixed(s.ci[0])}, ${fixed(s.ci[1])}]`, note];
}

/** The human-readable summary printed after a run. */
export function formatSummary(summary: EvalSummary): string {
  const { scores, items, levels, noAnswer } = summary;
  const judged = summary.reportMethod === 'judge';
  const rows = [
    ['', 'items', 'score', '95% CI', ''],
    scoreRow('Overall', scores.overall),
    scoreRow('Text MCQ', scores.textMcq),
    scoreRow('Image MCQ', scores.imageMcq),
    scoreRow('MCQ (text + image)', scores.mcq),
    judged
      ? scoreRow('Report (judge)', scores.report, summary.judge ? `${summary.judge.model}@${summary.judge.modelVersion}` : '')
      : scoreRow('Report', scores.report, 'deterministic check (no judge)'),
    ...(judged ? [scoreRow('Report check', scores.reportCheck, 'deterministic, shown beside the judge')] : []),
  ];
  const mcqCount = (scores.textMcq?.n ?? 0) + (scores.imageMcq?.n ?? 0);
  const lines = [
    `SpineBench dev split: ${summary.release.name} ${summary.release.version} (${summary.release.contentHash.slice(0, 19)}…)`,
    `Model: ${describeModel(summary.model)}`,
    `Items: ${items.evaluated} of ${items.devTotal} dev items; scorer ${summary.scorerVersion}`,
    '',
    ...table(rows),
    '',
    `No answer (MCQ): ${noAnswer.count} of ${mcqCount} (${noAnswer.none} named no option, ${noAnswer.ambiguous} named several)`,
    levels.n === 0
      ? 'Level questions: none in these items'
      : `Level questions: ${levels.n}; exact ${levels.exact} (${percent(levels.exact, levels.n)}), ` +
        (levels.equivalent > 0 ? `same level in transitional numbering ${levels.equivalent} (${percent(levels.equivalent, levels.n)}), ` : '') +
        `off by one ${levels.off_by_one} (${percent(levels.off_by_one, levels.n)}), ` +
        `worse ${levels.worse} (${percent(levels.worse, levels.n)}), no level named ${levels.no_level} (${percent(levels.no_level, levels.n)})`,
  ];
  if (items.failed > 0) {
    const codes = Object.entries(items.failuresByCode)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([code, n]) => `${code} ${n}`)
      .join(', ');
    lines.push(`Failed model calls: ${items.failed} (${codes}); those items are scored as no answer`);
  }
  if (summary.unscoredReports > 0) lines.push(`Reports without a valid judge score: ${summary.unscoredReports} (left out of the report score)`);
  lines.push('', 'Scores on the small public dev split are a sanity check; leaderboard scores come from the hidden test split on the platform.');
  return lines.join('\n');
}
