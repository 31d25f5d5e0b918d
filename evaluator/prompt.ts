import type { McqItem, OptionLetter } from '../benchmark/item-schema';
import type { ModelPrompt, PromptImage } from './adapters/types';

export const MCQ_SYSTEM_PROMPT =
  'You are a spine specialist answering a multiple-choice question. Reply with the letter of the single best option.';

/** The user turn of an MCQ: question, then lettered options, then the instruction. */
export function buildMcqPrompt(item: McqItem, images: PromptImage[]): ModelPrompt {
  const letters = Object.keys(item.options).sort() as OptionLetter[];
  const options = letters.map((l) => `${l}. ${item.options[l]}`).join('\n');
  const instruction = item.language === 'zh' ? '请只回答一个选项字母。' : 'Answer with the option letter only.';
  return { system: MCQ_SYSTEM_PROMPT, text: `${item.question}\n\n${options}\n\n${instruction}`, images };
}
