import { REPORT_SECTION_TITLES, REPORT_SECTIONS, type Item, type McqItem, type OptionLetter, type ReportItem } from '../benchmark/item-schema';
import type { ModelPrompt, PromptImage } from './adapters/types';

export const MCQ_SYSTEM_PROMPT =
  'You are a spine specialist answering a multiple-choice question. Reply with the letter of the single best option.';

export const REPORT_SYSTEM_PROMPT =
  'You are a spine specialist. Write a complete spine imaging report for the case, naming vertebral levels exactly.';

/** The user turn of an MCQ: question, then lettered options, then the instruction. */
export function buildMcqPrompt(item: McqItem, images: PromptImage[]): ModelPrompt {
  const letters = Object.keys(item.options).sort() as OptionLetter[];
  const options = letters.map((l) => `${l}. ${item.options[l]}`).join('\n');
  const instruction = item.language === 'zh' ? '请只回答一个选项字母。' : 'Answer with the option letter only.';
  return { system: MCQ_SYSTEM_PROMPT, text: `${item.question}\n\n${options}\n\n${instruction}`, images };
}

/** The user turn of a report case: history, the request, and the six sections to write. */
export function buildReportPrompt(item: ReportItem, images: PromptImage[]): ModelPrompt {
  const sections = REPORT_SECTIONS.map((key, i) => `${i + 1}. ${REPORT_SECTION_TITLES[item.language][key]}`).join('\n');
  const instruction =
    item.language === 'zh'
      ? `请按以下六个部分撰写完整报告：\n${sections}`
      : `Write the full report with these six sections, each under its own heading:\n${sections}`;
  return { system: REPORT_SYSTEM_PROMPT, text: `${item.caseHistory}\n\n${item.question}\n\n${instruction}`, images };
}

export function buildPrompt(item: Item, images: PromptImage[]): ModelPrompt {
  return item.task === 'mcq' ? buildMcqPrompt(item, images) : buildReportPrompt(item, images);
}
