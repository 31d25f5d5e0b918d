import type { OptionLetter } from '../../benchmark/item-schema';

export type ChoiceExtraction =
  | { letter: OptionLetter; reason: 'matched' }
  | { letter: null; reason: 'ambiguous' | 'none' };

const LETTERS = ['A', 'B', 'C', 'D', 'E'] as const;

/**
 * Reads the chosen option letter from a model's free-text answer.
 * First version: a lone letter, optionally wrapped or prefixed by "Answer:". Refuses to guess otherwise.
 */
export function extractChoice(output: string, options: Partial<Record<OptionLetter, string>>): ChoiceExtraction {
  const valid = LETTERS.filter((l) => options[l] !== undefined);
  const text = output.trim();
  const m = /^(?:answer\s*[:：]\s*)?[(\[*]*([A-E])[)\].:*]*$/i.exec(text);
  if (m) {
    const letter = m[1].toUpperCase() as OptionLetter;
    if (valid.includes(letter)) return { letter, reason: 'matched' };
  }
  return { letter: null, reason: 'none' };
}
