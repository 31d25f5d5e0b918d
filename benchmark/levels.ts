/**
 * The one vertebral level parser of SpineBench: free text in, canonical labels out.
 * Vocabulary and distances live in ./level-vocabulary and are re-exported here.
 *
 * Forms understood (case-insensitive, full-width characters folded by NFKC):
 *   vertebrae      L4 · l4 · T12 · S1 · Co · 腰4 · 腰椎4 · 胸12 · 颈5 · 骶1 · 第4腰椎
 *   segments       L4-L5 · L4/L5 · L4/5 · L4-5 · L4–L5 (en/em dash) · L4~5 · L4\5 · L4 to L5 · L4 5
 *                  · L4L5 · L5/S1 · L5-S · L5S1 · T12-L1 · between L4 and L5 · 腰4/5 · 腰4-5 · 腰5骶1
 *                  · 腰5/骶1 · 胸12腰1 · 颈5/6 · 腰4与腰5之间
 *   lists          L3, L4 and L5 → three vertebrae · 腰3、4、5 → L3, L4, L5
 *   spaces         L 4 · L 4 - L 5 · C 5 / 6 · T 12 - L 1 (one space between letter and number)
 *   continuation   C5/6 and 6/7 · L4-5 and 5-S1 · L3/4, 4/5 and 5/S1 · 腰3/4、4/5 · 腰4/5和5/骶1
 *   chains, spans  C4-C5-C6 · L3-4-5 · from L2 through L5 · L2 down to L4 · L4 to the sacrum · 从腰2到腰5
 *   words          lumbosacral/thoracolumbar/cervicothoracic junction · atlantoaxial · atlas · axis · odontoid
 *                  · fourth lumbar vertebra · the fourth and fifth lumbar vertebrae · 腰骶段 · 胸腰段 · 颈胸交界
 *                  · 寰枢关节 · 寰椎 · 枢椎 · 第四腰椎 (benchmark/level-phrases.ts; docs/decisions/128)
 *
 * Rules for the ambiguous cases (docs/decisions/100-level-vocabulary-and-parser.md):
 *   - Two vertebrae joined by a dash, slash, tilde, "to"/"through"/至/到 or "between … and …" name the
 *     segments between them: adjacent ends give one segment (`L4-5` → L4-L5); ends further apart are a
 *     range and give every segment in it, top to bottom (`L3-L5` → L3-L4, L4-L5; `L5-L3` likewise).
 *     A range never yields its end vertebrae as vertebrae. The same vertebra twice (`L4-L4`) is `L4`.
 *   - A bare second number takes the first one's region and must be lower on the spine (`L4-5`, `C5/6`);
 *     `L5-S`/`L5/S` end at S1. A bare number followed by a unit (`L4 5 mm`, `L4-5%`, `L4 5.2`) is not a
 *     level. `L4 5` (space only) is a segment only for adjacent numbers.
 *   - L6 is a level only when written; ranges skip it otherwise (`L4-S1` → L4-L5, L5-S1).
 *   - `T1`/`T2` that name an MRI sequence are not levels: followed by weighted, W/WI, signal,
 *     hyper/hypo/iso(intense), image(s)/imaging, sequence, MRI/MR, FLAIR, STIR, FSE/TSE, map,
 *     加权/信号/像/序列, or preceded by sagittal/axial/coronal/矢状/轴位/横断/冠状; also a T1/T2 joined
 *     by "and", "or", "/" or "," to such a sequence name (`T1 and T2 weighted images`).
 *   - Labels outside the vocabulary (C8, T13, S6, L7) and letters glued to other letters (CT1, T2W) are
 *     ignored. `S` alone, `sacrum`, `coccyx` are accepted by canonicalizeLevel (a single label), not
 *     found in free text.
 */
import { findNamedJunctions, findWordVertebrae } from './level-phrases';
import { CANONICAL_VERTEBRAE, isCanonicalLevel, segmentsBetween } from './level-vocabulary';

export * from './level-vocabulary';

interface VertebraMention {
  label: string;
  start: number;
  end: number;
  /** Letter prefix that a bare following number inherits (`C`, `T`, `L`, `S`). */
  prefix: string;
  number: number;
}

export interface LevelMention {
  /** Canonical labels this span names (several for a range). */
  levels: string[];
  start: number;
  end: number;
}

/**
 * Cheap pre-check at each position: a superset of what the four mention patterns below can start with
 * (a region letter before a digit, `Co`, a Chinese region character or 第). Jumping from one such position to
 * the next makes the scan several times faster on report-length text without changing what is found.
 */
const MENTION_START = /[CTLS] ?\d|Co|[颈胸腰骶第]/gi;
const CHINESE_REGION: Record<string, string> = { 颈: 'C', 胸: 'T', 腰: 'L', 骶: 'S' };
const VERTEBRA_SET = new Set(CANONICAL_VERTEBRAE);

const LATIN_VERTEBRA = /(?<![A-Za-z])([CTLS]) ?(\d{1,2})(?!\d)/giy;
const LATIN_COCCYX = /(?<![A-Za-z])Co1?(?![A-Za-z0-9-])/y;
const CHINESE_VERTEBRA = /([颈胸腰骶])椎?\s*(\d{1,2})(?!\d)/y;
const CHINESE_ORDINAL_VERTEBRA = /第\s*(\d{1,2})\s*([颈胸腰骶])椎/y;

const SEQUENCE_AFTER =
  /^\s*[-‐]?\s*(?:weighted|wi?\b|signal|hyper|hypo|iso|images?\b|imaging|sequences?\b|mri?\b|flair|stir|fse|tse|maps?\b|加权|信号|像|序列)/i;
const SEQUENCE_BEFORE = /(?:sagittal|axial|coronal|矢状位?|轴位|横断位?|冠状位?)\s*$/i;
const SEQUENCE_JOIN = /^\s*(?:and|or|\/|,|和|及)\s*$/i;

const CONNECTOR = /^(?:\s*[-–—‐‑‒−/\\~～〜]\s*|\s+(?:(?:down\s+|all\s+the\s+way\s+)?to|through(?:\s+to)?|thru|until|till)\s+(?:the\s+)?|\s*[至到]\s*)/i;
/** A dash that continues a chain of vertebrae (`C4-C5-C6`, `L3-4-5`). */
const CHAIN_DASH = /^\s*[-–—‐‑‒−/～〜~]\s*/;
/** `, 6/7` · ` and 5-S1` · `、4/5` · ` and L5/S1` after a disc level: group 1 the joiner, 2 the upper number, 3 the lower end. */
const CONTINUATION =
  /^(\s*(?:,|，|、|;|；|&|\band\b|\bor\b|as well as|及|和|与|以及)\s*(?:(?:at|the)\s+)?)(\d{1,2})\s*[-–—‐‑‒−/\\~～〜]\s*(\d{1,2}(?!\d)|[CTLS] ?\d{1,2}(?!\d)|[颈胸腰骶]\d{1,2}(?!\d)|S(?![A-Za-z0-9]))/i;
const BARE_NUMBER = /^(\d{1,2})(?!\d)/;
const BARE_SACRUM = /^(?:S(?![A-Za-z0-9])|sacrum\b|骶骨)/i;
const SPACE_NUMBER = /^\s+(\d{1,2})(?!\d)/;
const LIST_NUMBER = /^\s*[、]\s*(\d{1,2})(?!\d)/;
const UNIT_AFTER = /^(?:[.,]\d|\s*(?:mm|cm|%|°|度|毫米|厘米|deg|degrees?|grade|级|x\b|times|weeks?|days?|months?|years?|hours?|周|天|个月|年))/i;
const BETWEEN_BEFORE = /between\s+(?:the\s+)?$/i;
const AND_BETWEEN = /^\s+and\s+(?:the\s+)?/i;
const CHINESE_AND = /^\s*[与和及]\s*/;
const CHINESE_BETWEEN_AFTER = /^\s*之间/;

function makeMention(prefix: string, digits: string, start: number, end: number): VertebraMention | null {
  const label = `${prefix.toUpperCase()}${Number(digits)}`;
  if (!VERTEBRA_SET.has(label)) return null;
  return { label, start, end, prefix: prefix.toUpperCase(), number: Number(digits) };
}

/** Every single-vertebra mention, in text order, before pairing. */
function findVertebraMentions(text: string): VertebraMention[] {
  const mentions: VertebraMention[] = [];
  for (let i = 0; i < text.length; ) {
    MENTION_START.lastIndex = i;
    const next = MENTION_START.exec(text);
    if (!next) break;
    i = next.index;
    const found = matchVertebraAt(text, i, mentions[mentions.length - 1]);
    if (found) {
      mentions.push(found);
      i = found.end;
    } else i++;
  }
  // Vertebrae named in words (fourth lumbar, atlas, 第四腰椎) join the letter + number ones, so they pair the same way.
  const words = findWordVertebrae(text, (label) => VERTEBRA_SET.has(label)).filter((w) => !mentions.some((m) => m.start < w.end && m.end > w.start));
  const merged = words.length === 0 ? mentions : [...mentions, ...words].sort((a, b) => a.start - b.start);
  return dropSequenceNames(text, merged);
}

function matchVertebraAt(text: string, at: number, previous: VertebraMention | undefined): VertebraMention | null {
  LATIN_VERTEBRA.lastIndex = at;
  const latin = LATIN_VERTEBRA.exec(text);
  if (latin) {
    const end = at + latin[0].length;
    const gluedToDigit = at > 0 && /\d/.test(text[at - 1]) && previous?.end !== at;
    const gluedToLetter = /[A-Za-z]/.test(text[end] ?? '') && !/^[CTLS]\d/i.test(text.slice(end, end + 2));
    return gluedToDigit || gluedToLetter ? null : makeMention(latin[1], latin[2], at, end);
  }
  LATIN_COCCYX.lastIndex = at;
  const coccyx = LATIN_COCCYX.exec(text);
  if (coccyx) return { label: 'Co', start: at, end: at + coccyx[0].length, prefix: 'Co', number: 1 };
  CHINESE_VERTEBRA.lastIndex = at;
  const chinese = CHINESE_VERTEBRA.exec(text);
  if (chinese) return makeMention(CHINESE_REGION[chinese[1]], chinese[2], at, at + chinese[0].length);
  CHINESE_ORDINAL_VERTEBRA.lastIndex = at;
  const ordinal = CHINESE_ORDINAL_VERTEBRA.exec(text);
  if (ordinal) return makeMention(CHINESE_REGION[ordinal[2]], ordinal[1], at, at + ordinal[0].length);
  return null;
}

/** Removes T1/T2 mentions that name an MRI sequence rather than a vertebra. */
function dropSequenceNames(text: string, mentions: VertebraMention[]): VertebraMention[] {
  const isT12 = (m: VertebraMention) => m.label === 'T1' || m.label === 'T2';
  const sequence = mentions.map(
    (m) => isT12(m) && (SEQUENCE_AFTER.test(text.slice(m.end)) || SEQUENCE_BEFORE.test(text.slice(0, m.start))),
  );
  // "T1 and T2 weighted": a T1/T2 joined to a sequence name is one too (both directions).
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = 0; i + 1 < mentions.length; i++) {
      const [a, b] = [mentions[i], mentions[i + 1]];
      if (!isT12(a) || !isT12(b) || sequence[i] === sequence[i + 1]) continue;
      if (!SEQUENCE_JOIN.test(text.slice(a.end, b.start))) continue;
      sequence[i] = sequence[i + 1] = true;
      changed = true;
    }
  }
  return mentions.filter((_, i) => !sequence[i]);
}

/** The levels named by two vertebrae joined as a segment or range. */
function joinedLevels(a: string, b: string): string[] {
  if (a === b) return [a];
  const segments = segmentsBetween(a, b);
  return segments.length > 0 ? segments : [a, b];
}

function bareNumberAfter(text: string, at: number, first: VertebraMention, pattern: RegExp): VertebraMention | null {
  const match = pattern.exec(text.slice(at));
  if (!match) return null;
  const end = at + match[0].length;
  if (UNIT_AFTER.test(text.slice(end))) return null;
  if (first.prefix === 'Co' || Number(match[1]) <= first.number) return null;
  return makeMention(first.prefix, match[1], at, end);
}

/**
 * Every level mention in the text with its span, in text order. Segments and ranges come out as
 * one mention holding their segments; see the file comment for the rules.
 */
export function findLevelMentions(input: string): LevelMention[] {
  const text = input.normalize('NFKC');
  const junctions = findNamedJunctions(text);
  const insideJunction = (m: { start: number; end: number }) => junctions.some((j) => m.start < j.end && m.end > j.start);
  const vertebrae = findVertebraMentions(text).filter((m) => !insideJunction(m));
  const result: LevelMention[] = [...junctions];
  /** Pushes a joined mention, then any chain (`C4-C5-C6`) and shorthand continuation (`C5/6 and 6/7`). Returns the index of the last vertebra mention used. */
  const pushJoined = (first: VertebraMention, last: VertebraMention, index: number): number => {
    let lastIndex = index;
    // C4-C5-C6 · L3-4-5 · 颈4-5-6: every disc level of the chain
    for (let chained = chainAfter(text, last, vertebrae[lastIndex + 1]); chained; chained = chainAfter(text, last, vertebrae[lastIndex + 1])) {
      if (chained === vertebrae[lastIndex + 1]) lastIndex++;
      last = chained;
    }
    result.push({ levels: joinedLevels(first.label, last.label), start: first.start, end: last.end });
    // C5/6 and 6/7 · L4-5 and 5-S1 · 腰3/4、4/5
    for (let cont = continuationAfter(text, last); cont; cont = continuationAfter(text, last)) {
      result.push({ levels: joinedLevels(cont.upper.label, cont.lower.label), start: cont.upper.start, end: cont.lower.end });
      while (vertebrae[lastIndex + 1] && vertebrae[lastIndex + 1].start < cont.lower.end) lastIndex++;
      last = cont.lower;
    }
    return lastIndex;
  };
  for (let i = 0; i < vertebrae.length; i++) {
    const first = vertebrae[i];
    const next = vertebrae[i + 1];
    const after = text.slice(first.end);

    // between L4 and L5 · between the fourth and fifth lumbar vertebrae · 腰4与腰5之间
    const betweenStart = BETWEEN_BEFORE.exec(text.slice(0, first.start));
    const andMatch = AND_BETWEEN.exec(after) ?? CHINESE_AND.exec(after);
    if (next && andMatch && first.end + andMatch[0].length === next.start) {
      const chineseEnd = CHINESE_BETWEEN_AFTER.exec(text.slice(next.end));
      if (betweenStart && AND_BETWEEN.test(after)) {
        result.push({ levels: joinedLevels(first.label, next.label), start: betweenStart.index, end: next.end });
        i++;
        continue;
      }
      if (chineseEnd && CHINESE_AND.test(after)) {
        result.push({ levels: joinedLevels(first.label, next.label), start: first.start, end: next.end + chineseEnd[0].length });
        i++;
        continue;
      }
    }

    // L5S1 · 腰5骶1 · 胸12腰1
    if (next && next.start === first.end) {
      i = pushJoined(first, next, i + 1);
      continue;
    }

    // L4-L5 · L4/5 · L4–L5 · L4 to L5 · from L2 through L5 · L5-S · L4 to the sacrum
    const connector = CONNECTOR.exec(after);
    if (connector) {
      const at = first.end + connector[0].length;
      if (next && next.start === at) {
        i = pushJoined(first, next, i + 1);
        continue;
      }
      const bare = bareNumberAfter(text, at, first, BARE_NUMBER);
      if (bare) {
        i = pushJoined(first, bare, i);
        continue;
      }
      const sacrum = BARE_SACRUM.exec(text.slice(at));
      if (sacrum && !first.label.startsWith('S')) {
        const s1: VertebraMention = { label: 'S1', start: at, end: at + sacrum[0].length, prefix: 'S', number: 1 };
        i = pushJoined(first, s1, i);
        continue;
      }
    }

    // L4 5 (adjacent numbers only)
    const spaced = bareNumberAfter(text, first.end, first, SPACE_NUMBER);
    if (spaced && spaced.number === first.number + 1) {
      i = pushJoined(first, spaced, i);
      continue;
    }

    // 腰3、4、5 → L3, L4, L5
    result.push({ levels: [first.label], start: first.start, end: first.end });
    let tail: VertebraMention = first;
    for (let listed = bareNumberAfter(text, tail.end, tail, LIST_NUMBER); listed; listed = bareNumberAfter(text, tail.end, tail, LIST_NUMBER)) {
      result.push({ levels: [listed.label], start: listed.start, end: listed.end });
      tail = listed;
    }
  }
  return result.sort((a, b) => a.start - b.start);
}

/** The next link of a dash chain after `last` (`-C6` in `C4-C5-C6`, `-5` in `L3-4-5`): lower on the spine, or null. */
function chainAfter(text: string, last: VertebraMention, next: VertebraMention | undefined): VertebraMention | null {
  const dash = CHAIN_DASH.exec(text.slice(last.end));
  if (!dash) return null;
  const at = last.end + dash[0].length;
  if (next && next.start === at) return isBelow(next, last) ? next : null;
  return bareNumberAfter(text, at, last, BARE_NUMBER);
}

function isBelow(a: VertebraMention, b: VertebraMention): boolean {
  return CANONICAL_VERTEBRAE.indexOf(a.label) > CANONICAL_VERTEBRAE.indexOf(b.label);
}

/** `and 6/7` after `C5/6`, `and 5-S1` after `L4-5`: a disc level written with the region letter left out. */
function continuationAfter(text: string, last: VertebraMention): { upper: VertebraMention; lower: VertebraMention } | null {
  if (last.prefix === 'Co' || last.prefix === 'S') return null;
  const match = CONTINUATION.exec(text.slice(last.end));
  if (!match) return null;
  const upperStart = last.end + match[1].length;
  const upper = makeMention(last.prefix, match[2], upperStart, upperStart + match[2].length);
  if (!upper || upper.number < last.number) return null;
  const end = last.end + match[0].length;
  if (UNIT_AFTER.test(text.slice(end))) return null;
  const lowerStart = end - match[3].length;
  const lower = /^s$/i.test(match[3])
    ? makeMention('S', '1', lowerStart, end)
    : /^\d/.test(match[3])
      ? makeMention(last.prefix, match[3], lowerStart, end)
      : makeMention(CHINESE_REGION[match[3][0]] ?? match[3][0], match[3].slice(1).trim(), lowerStart, end);
  if (!lower || !isBelow(lower, upper)) return null;
  return { upper, lower };
}

/** Every level named in free text, canonical, in order of first mention, without duplicates. */
export function parseLevels(text: string): string[] {
  const seen = new Set<string>();
  for (const mention of findLevelMentions(text)) for (const level of mention.levels) seen.add(level);
  return [...seen];
}

const SINGLE_WORD_LEVELS: Record<string, string> = {
  s: 'S1',
  sacrum: 'S1',
  骶骨: 'S1',
  骶椎: 'S1',
  co: 'Co',
  coccyx: 'Co',
  尾骨: 'Co',
  尾椎: 'Co',
};

/**
 * One level label, in any form the parser understands, as its canonical label; null when the text is
 * not exactly one vertebra or one segment (unknown labels, ranges such as `L3-L5`, extra words).
 */
export function canonicalizeLevel(label: string): string | null {
  const text = label.normalize('NFKC').trim();
  if (isCanonicalLevel(text)) return text;
  const word = SINGLE_WORD_LEVELS[text.toLowerCase()];
  if (word) return word;
  const mentions = findLevelMentions(text);
  if (mentions.length !== 1) return null;
  const [only] = mentions;
  if (only.start !== 0 || only.end !== text.length || only.levels.length !== 1) return null;
  // A span such as "L5-S2" reads as the one disc level L5-S1; as a label it names S2, which the result does not.
  const result = only.levels[0];
  const ends = new Set(result.split('-'));
  const named = text.toUpperCase().match(/\b[CTLS]\d+\b/g) ?? [];
  return named.every((vertebra) => ends.has(vertebra)) ? result : null;
}
