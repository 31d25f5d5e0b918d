import type { OptionLetter } from '../../benchmark/item-schema';
import { comparableText, normalizeAnswerText, stripMarkdownEmphasis } from './answer-text';

export type ChoiceExtraction =
  | { letter: OptionLetter; reason: 'matched' }
  | { letter: null; reason: 'ambiguous' | 'none' };

export type ChoiceOptions = Partial<Record<OptionLetter, string>>;

const LETTERS = ['A', 'B', 'C', 'D', 'E'] as const;

/**
 * Reads the chosen option letter from a model's free-text answer. Pure.
 *
 * Evidence is read in two tiers; the first tier that names anything decides:
 * 1. strong: the whole answer is a letter; the answer opens with a letter (`B.`, `(B)`, `B) L4-L5`);
 *    an explicit answer phrase (`Answer: B`, `The answer is B`, `\boxed{B}`, `答案：B`, `选B`), or such a
 *    phrase followed by an option's text (`The answer is L4-L5`).
 * 2. weak: decorated letters anywhere (`(B)`, `option B`, `选项B`), an option's text in a short answer,
 *    bare capital letters in a very short answer.
 * One distinct valid letter → matched; several → ambiguous; none → none. It never guesses between letters.
 */
export function extractChoice(output: string, options: ChoiceOptions): ChoiceExtraction {
  const valid = new Set<OptionLetter>(LETTERS.filter((l) => options[l] !== undefined));
  const text = stripMarkdownEmphasis(normalizeAnswerText(output)).trim();
  if (text === '' || valid.size === 0) return { letter: null, reason: 'none' };

  const strong = strongEvidence(text, options);
  if (strong.size > 0) return decide(strong, valid);
  return decide(weakEvidence(text, options), valid);
}

function decide(named: Set<OptionLetter>, valid: Set<OptionLetter>): ChoiceExtraction {
  const letters = [...named].filter((l) => valid.has(l));
  if (letters.length === 1) return { letter: letters[0], reason: 'matched' };
  if (letters.length > 1) return { letter: null, reason: 'ambiguous' };
  return { letter: null, reason: 'none' };
}

// ---------------------------------------------------------------------------------------------- strong

const OPEN = String.raw`[(\[{【<「"']`;
const CLOSE = String.raw`[)\]}】>」"']`;

/** Phrases after which a model states its choice. Case-insensitive; the letter follows. */
const ANSWER_PHRASES = [
  // "final answer", "correct answer", "my answer" need no prefix: the match starts at "answer" (a literal start is much faster to scan for).
  String.raw`\banswer\b\s*(?:is|would be|should be|will be|must be|here is|:|=|-|→)?\s*(?:therefore|thus)?\s*[:：]?`,
  String.raw`\b(?:correct|right|best)\s+(?:option|choice|one|letter)\s*(?:is|would be|should be|:)?`,
  String.raw`\b(?:i\s+(?:would\s+|will\s+|'d\s+)?|i'd\s+)(?:choose|pick|select|go\s+with)`,
  String.raw`\bmy\s+(?:choice|pick|selection)\s+is`,
  String.raw`\b(?:it|this)(?:['’]s|\s+is|\s+must be|\s+should be)`,
  String.raw`\\boxed\{\s*(?:\\text\{)?`,
  String.raw`(?:正确答案|最佳答案|答案|答)\s*(?:应该?|应当)?\s*(?:是|为|选)?\s*[:：]?`,
  String.raw`(?:正确选项|最佳选项)\s*(?:是|为)?\s*[:：]?`,
  String.raw`(?:应选|故选|因此选|所以选|我选|选择|选)(?!项)`,
];
const LETTER_AFTER_PHRASE = String.raw`\s*(?:option|choice|letter|选项)?\s*${OPEN}?\s*([A-Ea-e]{1,5})(?![A-Za-z0-9])`;
const LETTER_LIST_TAIL = String.raw`^\s*${CLOSE}?\s*(?:(?:,|，|、|/|&|\bor\b|\band\b|或|和|及)\s*${OPEN}?|${OPEN})\s*([A-E])(?![A-Za-z0-9])`;

/** Letters named before a phrase that says they are right: `B is correct`, `option B is the best answer`, `B正确`. */
const LETTER_BEFORE_PHRASE = [
  String.raw`(?<![A-Za-z0-9])${OPEN}?([A-E])${CLOSE}?\s+is\s+(?:the\s+)?(?:correct|right|best)(?:\s+(?:answer|option|choice))?\b`,
  String.raw`(?<![A-Za-z0-9])(?:选项)?([A-E])\s*(?:项|选项)?\s*(?:是|为)?\s*(?:正确|对)`,
].map((p) => new RegExp(p, 'g'));

// Compiled once: matchAll copies a global regex, so sharing them is safe.
// One alternation scans the text once instead of once per phrase.
const ANY_PHRASE = `(?:${ANSWER_PHRASES.join('|')})`;
// No `u` flag: every character involved is in the BMP, and case-insensitive matching without it is faster.
const PHRASE_THEN_LETTER = [new RegExp(ANY_PHRASE + LETTER_AFTER_PHRASE, 'gi')];
const PHRASE_ONLY = [new RegExp(ANY_PHRASE, 'gi')];
const LIST_TAIL = new RegExp(LETTER_LIST_TAIL, 'i');

function strongEvidence(text: string, options: ChoiceOptions): Set<OptionLetter> {
  const named = new Set<OptionLetter>();
  const whole = /^[\s(\[{【<「"']*([A-Ea-e])[\s)\]}】>」"'.:：,，。!]*$/.exec(text);
  if (whole) {
    named.add(whole[1].toUpperCase() as OptionLetter);
    return named;
  }
  for (const l of leadingLetters(text, options)) named.add(l);

  for (const re of PHRASE_THEN_LETTER) {
    for (const m of text.matchAll(re)) {
      const letters = lettersAfterPhrase(m[1], text, m.index! + m[0].length);
      for (const l of letters) named.add(l);
    }
  }
  for (const re of LETTER_BEFORE_PHRASE) {
    for (const m of text.matchAll(re)) named.add(m[1] as OptionLetter);
  }
  if (named.size === 0) {
    for (const l of optionTextAfterPhrases(text, options)) named.add(l);
  }
  return named;
}

/**
 * Turns the characters captured after an answer phrase into letters. `BC` (uppercase) names two letters;
 * a lower-case letter counts only when nothing word-like follows; an `A`/`a` followed by a word is the
 * English article ("The answer is a herniated disc"), not option A. `B or C` adds both.
 */
function lettersAfterPhrase(captured: string, text: string, end: number): OptionLetter[] {
  const after = text.slice(end);
  if (captured.length > 1) {
    return captured === captured.toUpperCase() ? ([...captured] as OptionLetter[]) : [];
  }
  if (captured === captured.toLowerCase() && /^\.?[A-Za-z]/.test(after)) return [];
  if (/^[aA]$/.test(captured) && isArticle(after)) return [];
  const letters = [captured.toUpperCase() as OptionLetter];
  let rest = after;
  for (;;) {
    const more = LIST_TAIL.exec(rest);
    if (!more) break;
    letters.push(more[1].toUpperCase() as OptionLetter);
    rest = rest.slice(more[0].length);
  }
  return letters;
}

/** Words that may follow a letter that is an option, not an article: "A and B", "A is correct". */
const NOT_A_NOUN = new Set(
  'and or nor is was are were vs versus then but because since seems looks appears would could should might must can will also too only as plus'.split(' '),
);

/** True when the text right after an `A` reads as the rest of a noun phrase: " herniated disc ...". */
function isArticle(after: string): boolean {
  const word = /^\s+([a-z\u00C0-\u024F][a-z\u00C0-\u024F-]+)/.exec(after);
  return word !== null && !NOT_A_NOUN.has(word[1]);
}

/**
 * A letter that opens the answer (`B.`, `(B)`, `B) L4-L5`, `B - ...`, `B L4-L5` when the rest is B's text),
 * with any letters listed right after it (`A, B`). Ignored when several lines open with different
 * letters: that is the option list echoed back.
 */
function leadingLetters(text: string, options: ChoiceOptions): OptionLetter[] {
  const lineStarts = new Set<string>();
  for (const line of text.split('\n')) {
    const m = /^\s*[(\[【]?([A-E])(?:[)\]】]|[.:：](?=\s|$))/.exec(line);
    if (m) lineStarts.add(m[1]);
  }
  if (lineStarts.size > 1) return [];

  const decorated = /^[(\[{【]\s*([A-E])\s*[)\]}】]|^([A-E])(?=[)\]】]|[.:：,，/&](?=\s|$|[A-E])|\s*$|\s*\n|\s+[-–—]\s|\s+(?:or|and)\s)/.exec(text);
  if (decorated) {
    const letter = (decorated[1] ?? decorated[2]) as OptionLetter;
    return lettersAfterPhrase(letter, text, decorated[0].length);
  }
  const bare = /^([A-E])\s+(.+)/s.exec(text);
  if (bare) {
    const letter = bare[1] as OptionLetter;
    const optionText = options[letter];
    if (optionText && comparableText(bare[2]).startsWith(comparableText(optionText))) return [letter];
  }
  return [];
}

/** `The answer is L4-L5`: option text named in the sentence right after an answer phrase. */
function optionTextAfterPhrases(text: string, options: ChoiceOptions): Set<OptionLetter> {
  const named = new Set<OptionLetter>();
  for (const re of PHRASE_ONLY) {
    for (const m of text.matchAll(re)) {
      const start = m.index! + m[0].length;
      const sentence = /^[^\n。]*?(?:[.!?](?=\s|$)|$)/mu.exec(text.slice(start))?.[0] ?? '';
      if (sentence.trim() === '') continue;
      for (const l of optionTextsIn(sentence, options)) named.add(l);
    }
  }
  return named;
}

// ------------------------------------------------------------------------------------------------ weak

/** Answers shorter than this may name an option by its text or by a bare capital letter anywhere. */
const SHORT_ANSWER_CHARS = 200;
const VERY_SHORT_ANSWER_CHARS = 48;

const DECORATED_LETTERS = [
  String.raw`[(\[{【]\s*([A-E])\s*[)\]}】]`,
  String.raw`(?<![A-Za-z0-9])([A-E])\)`,
  String.raw`\b(?:option|choice|letter)\s+([A-E])(?![A-Za-z0-9])`,
  String.raw`选项\s*([A-E])(?![A-Za-z0-9])`,
  String.raw`(?:^|\n)\s*([A-E])[.:：](?=\s|$)`,
].map((p) => new RegExp(p, 'gi'));

function weakEvidence(text: string, options: ChoiceOptions): Set<OptionLetter> {
  const named = new Set<OptionLetter>();
  for (const re of DECORATED_LETTERS) {
    for (const m of text.matchAll(re)) named.add(m[1].toUpperCase() as OptionLetter);
  }
  if (text.length <= SHORT_ANSWER_CHARS) {
    for (const l of optionTextsIn(text, options)) named.add(l);
  }
  if (text.length <= VERY_SHORT_ANSWER_CHARS) {
    for (const m of text.matchAll(/(?<![A-Za-z0-9'’-])([A-E])(?![A-Za-z0-9'’-])/gu)) {
      const letter = m[1] as OptionLetter;
      if (letter === 'A' && isArticle(text.slice(m.index! + 1))) continue;
      named.add(letter);
    }
  }
  return named;
}

/**
 * Options whose text occurs in `text` as a whole phrase. An option whose every occurrence lies inside an
 * occurrence of a longer option (`L4` inside `L4-L5`) is not counted.
 */
export function optionTextsIn(text: string, options: ChoiceOptions): OptionLetter[] {
  const haystack = comparableText(text);
  const spans = new Map<OptionLetter, Array<[number, number]>>();
  for (const letter of LETTERS) {
    const raw = options[letter];
    if (raw === undefined) continue;
    const needle = comparableText(raw);
    if (needle.length === 0) continue;
    const found: Array<[number, number]> = [];
    for (let i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
      if (isWholePhrase(haystack, i, i + needle.length)) found.push([i, i + needle.length]);
    }
    if (found.length > 0) spans.set(letter, found);
  }
  const result: OptionLetter[] = [];
  for (const [letter, own] of spans) {
    const shadowed = own.every(([s, e]) =>
      [...spans].some(([other, theirs]) => other !== letter && theirs.some(([os, oe]) => os <= s && e <= oe && oe - os > e - s)),
    );
    if (!shadowed) result.push(letter);
  }
  return result;
}

function isWholePhrase(haystack: string, start: number, end: number): boolean {
  const wordChar = /[a-z0-9]/;
  const before = haystack[start - 1];
  const after = haystack[end];
  const first = haystack[start];
  const last = haystack[end - 1];
  if (before !== undefined && wordChar.test(before) && wordChar.test(first)) return false;
  if (after !== undefined && wordChar.test(after) && wordChar.test(last)) return false;
  // `L4` followed by `-L5`/`/5` is part of a longer level label, not the label itself.
  if (after !== undefined && /[-/]/.test(after) && /[a-z0-9]/.test(haystack[end + 1] ?? '')) return false;
  return true;
}
