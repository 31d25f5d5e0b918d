import type { Item } from '../../benchmark/item-schema';
import type { ItemScore } from '../../evaluator/scoring/item-score';

/** One row of a dev-split run's per-item log, as the run page shows it. */
export type DevLogRow =
  | { kind: 'mcq'; id: string; question: string; answer: string; rawOutput: string | null; readAs: string; reason: string | null; correct: boolean; levels: string | null }
  | { kind: 'report'; id: string; question: string; rawOutput: string | null; score: number | null; method: string; check: string };

/**
 * Reads a stored item score (the whole ItemScore is stored as the result's detail: the MCQ letter sits in
 * `detail.detail.letter`, one level deeper than the old page read) into a log row. Pure; dev items only.
 */
/** Characters of a model answer the log shows; the rest is counted, not sent (a 3 MB answer made a 192 MB page). */
export const LOG_OUTPUT_CHARS = 2_000;

/** Dev-log rows per page. */
export const LOG_PAGE_SIZE = 25;

/** The answer as the log shows it. Pure. */
export function clipForLog(rawOutput: string | null): string | null {
  if (rawOutput === null || rawOutput.length <= LOG_OUTPUT_CHARS) return rawOutput;
  return `${rawOutput.slice(0, LOG_OUTPUT_CHARS)} … (${rawOutput.length - LOG_OUTPUT_CHARS} more characters)`;
}

export function devLogRow(itemKey: string, item: Item, fullOutput: string | null, score: ItemScore | null): DevLogRow {
  const rawOutput = clipForLog(fullOutput);
  if (item.task === 'mcq') {
    const detail = score?.task === 'mcq' ? score.detail : null;
    const levels = detail?.levels;
    return {
      kind: 'mcq',
      id: itemKey,
      question: item.question,
      answer: item.answer,
      rawOutput,
      readAs: detail?.letter ?? 'no answer',
      reason: detail?.letter ? null : (detail?.reason ?? (score?.noOutput ? 'no output' : null)),
      correct: score?.task === 'mcq' && score.score === 1,
      levels: levels ? `${levels.errorClass.replace(/_/g, ' ')} (named ${levels.predicted.join(', ') || 'none'}; true ${levels.truth.join(', ')})` : null,
    };
  }
  const report = score?.task === 'report' ? score : null;
  const c = report?.check;
  const sections = c ? Object.values(c.sections).filter(Boolean).length : 0;
  return {
    kind: 'report',
    id: itemKey,
    question: item.caseHistory.length > 240 ? `${item.caseHistory.slice(0, 240)}…` : item.caseHistory,
    rawOutput,
    score: report?.score ?? null,
    method: report ? (report.method === 'judge' ? 'judge' : 'deterministic check') : '—',
    check: c
      ? `check ${c.score.toFixed(1)}: ${c.coverage.covered}/${c.coverage.total} key findings covered` +
        `${c.coverage.wrongLevel ? ` (${c.coverage.wrongLevel} at a wrong level)` : ''}, ${sections}/${Object.keys(c.sections).length} sections` +
        `${c.inventedLevels.length ? `, invented levels ${c.inventedLevels.join(', ')}` : ''}`
      : report?.noOutput
        ? 'no report'
        : 'not checked',
  };
}
