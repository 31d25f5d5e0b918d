import type { ZodIssue } from 'zod';
import { OPTION_LETTERS, itemSchema, type Item } from '../item-schema';
import { canonicalizeLevel } from '../levels';
import { unsafeRelativePathReason } from './safe-path';
import type { ReleaseProblem } from './validation-error';

export const ITEMS_FILE = 'items.jsonl';

function problem(line: number, field: string | undefined, message: string): ReleaseProblem {
  return { file: ITEMS_FILE, line, ...(field ? { field } : {}), message };
}

function zodProblem(line: number, issue: ZodIssue): ReleaseProblem {
  const field = issue.path.join('.');
  const message =
    issue.code === 'invalid_type' && issue.received === 'undefined' ? `missing required field (expected ${issue.expected})` : issue.message;
  return problem(line, field || undefined, message);
}

/**
 * Checks one parsed line of items.jsonl beyond JSON syntax: the item schema, then the rules a schema
 * cannot say (answer among the options, canonical levels, images present for image items, safe paths).
 * Returns the item with its level labels canonicalised, or the problems found.
 */
export function checkItemLine(value: unknown, line: number): { item: Item; problems: [] } | { item: null; problems: ReleaseProblem[] } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { item: null, problems: [problem(line, undefined, 'each line must be one JSON object')] };
  }
  const parsed = itemSchema.safeParse(value);
  if (!parsed.success) return { item: null, problems: parsed.error.issues.map((issue) => zodProblem(line, issue)) };
  const item = parsed.data;
  const problems: ReleaseProblem[] = [];

  const levels = canonicalLevels(item.levels, 'levels', line, problems);
  const keyFindings =
    item.task === 'report'
      ? item.keyFindings.map((finding, i) => ({ ...finding, levels: canonicalLevels(finding.levels, `keyFindings.${i}.levels`, line, problems) }))
      : undefined;

  if (item.task === 'mcq') {
    const letters = Object.keys(item.options);
    const expected = OPTION_LETTERS.slice(0, letters.length);
    if (letters.length < 2) problems.push(problem(line, 'options', 'an MCQ needs at least two options'));
    else if (!expected.every((letter) => letter in item.options)) {
      problems.push(problem(line, 'options', `option letters must run from A without gaps (got ${letters.sort().join(', ')})`));
    }
    if (!(item.answer in item.options)) problems.push(problem(line, 'answer', `answer "${item.answer}" is not among the options (${letters.sort().join(', ')})`));
  }

  if (item.inputKind === 'image' && item.images.length === 0) problems.push(problem(line, 'images', 'an image item needs at least one image'));
  if (item.inputKind === 'text' && item.images.length > 0) problems.push(problem(line, 'images', 'a text-only item must not carry images'));
  item.images.forEach((image, i) => {
    const reason = unsafeRelativePathReason(image.file);
    if (reason) problems.push(problem(line, `images.${i}.file`, `path "${image.file}" ${reason}`));
  });

  if (problems.length > 0) return { item: null, problems };
  return { item: { ...item, levels, ...(keyFindings ? { keyFindings } : {}) } as Item, problems: [] };
}

function canonicalLevels(labels: string[], field: string, line: number, problems: ReleaseProblem[]): string[] {
  return labels.map((label, i) => {
    const canonical = canonicalizeLevel(label);
    if (canonical === null) problems.push(problem(line, `${field}.${i}`, `unknown level label "${label}" (expected a vertebra such as L4 or a segment such as L4-L5)`));
    return canonical ?? label;
  });
}
