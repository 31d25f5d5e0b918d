/**
 * Normalisation of a model's free-text answer before any scorer reads it.
 * Pure; shared by choice extraction and level scoring so both see the same text.
 */

/** Zero-width and bidi control characters a model (or an attacker) can hide between letters. */
const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\uFEFF\u00AD]/g;

/**
 * Drops a reasoning block: everything up to the last `</think>`; an unterminated `<think>` means the model
 * never reached an answer, so everything from it on is dropped.
 */
export function stripReasoning(text: string): string {
  const close = text.lastIndexOf('</think>');
  let rest = close >= 0 ? text.slice(close + '</think>'.length) : text;
  const open = rest.indexOf('<think>');
  if (open >= 0) rest = rest.slice(0, open);
  return rest;
}

/**
 * NFKC folds fullwidth letters and punctuation (`Ｂ`, `（`, `：`), circled and mathematical letters (`Ⓑ`, `𝐁`)
 * to ASCII. Look-alikes from other scripts (Cyrillic `В`, Greek `Β`) are deliberately NOT folded: they are
 * real letters of other words, and folding them would read Russian prose as option letters.
 */
export function normalizeAnswerText(raw: string): string {
  return stripReasoning(raw)
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t\u00A0\u3000]+/g, ' ')
    .trim();
}

/** Removes markdown emphasis and code marks so `**B**`, `__B__` and `` `B` `` read as `B`. */
export function stripMarkdownEmphasis(text: string): string {
  return text.replace(/\*{1,3}|_{2,3}|`+/g, '');
}

/** Lower-case, whitespace-collapsed, NFKC form used to compare option texts with answer text. */
export function comparableText(text: string): string {
  return stripMarkdownEmphasis(text.normalize('NFKC').replace(INVISIBLE, ''))
    .toLowerCase()
    .replace(/[\s\u00A0\u3000]+/g, ' ')
    .replace(/[–—−]/g, '-')
    .trim()
    .replace(/[.。;；,，!！]+$/u, '')
    .trim();
}
