/**
 * The per-item JSONL log of a local dev-split run: one line per item with what the model said and how
 * it was scored. Dev items are public, so the log may show the key and the raw output in full.
 */
import { writeFile } from 'node:fs/promises';
import type { DevItemResult } from './evaluate-dev-split';

export function itemLogRecord(result: DevItemResult): Record<string, unknown> {
  const { item, score } = result;
  const common = {
    itemId: item.id,
    part: score.part,
    language: item.language,
    skill: item.skill,
    rawOutput: result.rawOutput,
    error: result.error,
    elapsedMs: result.elapsedMs,
  };
  if (score.task === 'mcq') {
    return {
      ...common,
      letter: score.detail.letter,
      letterReason: score.detail.reason,
      answer: item.task === 'mcq' ? item.answer : null,
      score: score.score,
      levelErrorClass: score.detail.levels?.errorClass ?? null,
    };
  }
  return {
    ...common,
    score: score.score,
    method: score.method,
    check: score.check,
    judge: score.judge && {
      status: score.judge.status,
      model: score.judge.judge.model,
      modelVersion: score.judge.judge.modelVersion,
      ...(score.judge.status === 'scored' ? { rubric: score.judge.rubric, rationales: score.judge.rationales } : {}),
      ...(score.judge.status === 'malformed' ? { problems: score.judge.problems } : {}),
      ...(score.judge.status === 'failed' ? { code: score.judge.code, message: score.judge.message } : {}),
    },
  };
}

export function formatItemLog(results: readonly DevItemResult[]): string {
  return results.map((r) => JSON.stringify(itemLogRecord(r))).join('\n') + (results.length > 0 ? '\n' : '');
}

export async function writeItemLog(file: string, results: readonly DevItemResult[]): Promise<void> {
  await writeFile(file, formatItemLog(results), 'utf8');
}
