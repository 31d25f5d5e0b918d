import { OPTION_LETTERS, type OptionLetter } from '../item-schema';
import type { Prng } from './prng';

/**
 * Options for an MCQ: the correct text plus distinct distractors, shuffled; returns the options and the
 * correct letter. `count` options in all (distractors are trimmed or must suffice).
 */
export function shuffleOptions(prng: Prng, correct: string, distractors: readonly string[], count = 4): { options: Partial<Record<OptionLetter, string>>; answer: OptionLetter } {
  const unique = [...new Set(distractors.filter((d) => d !== correct))];
  const chosen = prng.shuffle(unique).slice(0, count - 1);
  if (chosen.length < Math.min(count - 1, 1)) throw new Error(`not enough distractors for "${correct}"`);
  const all = prng.shuffle([correct, ...chosen]);
  const options: Partial<Record<OptionLetter, string>> = {};
  all.forEach((text, i) => (options[OPTION_LETTERS[i]] = text));
  return { options, answer: OPTION_LETTERS[all.indexOf(correct)] };
}

/** Neighbouring labels in a list: the classic wrong-level distractors (±1, ±2). */
export function neighbours(labels: readonly string[], correct: string): string[] {
  const i = labels.indexOf(correct);
  return [labels[i - 1], labels[i + 1], labels[i - 2], labels[i + 2], labels[i + 3], labels[i - 3]].filter((x): x is string => x !== undefined);
}

export const ROMAN = ['0', 'I', 'II', 'III', 'IV', 'V'] as const;
