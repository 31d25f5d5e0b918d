/**
 * Level phrases written in words rather than letter + number (docs/decisions/128): ordinal vertebrae
 * ("fourth lumbar vertebra", "第四腰椎"), atlas and axis, and the named junctions (lumbosacral, thoracolumbar,
 * cervicothoracic, atlantoaxial; 腰骶段, 胸腰段, 颈胸段, 寰枢关节). benchmark/levels.ts merges these with the
 * letter + number mentions, so every scorer gets them through the one parser.
 */

/** A single vertebra named in words; pairs like the letter + number mentions (`fourth to fifth lumbar`). */
export interface WordVertebra {
  label: string;
  start: number;
  end: number;
  prefix: string;
  number: number;
}

/** A level named by an anatomical name that stands for a fixed canonical level. */
export interface NamedLevel {
  levels: string[];
  start: number;
  end: number;
}

const ORDINALS: Record<string, number> = {
  first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9, tenth: 10, eleventh: 11, twelfth: 12,
  '1st': 1, '2nd': 2, '3rd': 3, '4th': 4, '5th': 5, '6th': 6, '7th': 7, '8th': 8, '9th': 9, '10th': 10, '11th': 11, '12th': 12,
};
const REGION_WORDS: Record<string, string> = { cervical: 'C', thoracic: 'T', dorsal: 'T', lumbar: 'L', sacral: 'S' };
const ORDINAL = `(?:${Object.keys(ORDINALS).join('|')})`;
/** A run of ordinals sharing one region word: "fourth and fifth lumbar", "third, fourth or fifth lumbar", "fourth-fifth lumbar". */
const ORDINAL_GROUP = new RegExp(
  `\\b(${ORDINAL}(?:(?:\\s*,\\s*|\\s*,?\\s+(?:and|or|to|through|&)\\s+|\\s*[-–/]\\s*)(?:the\\s+)?${ORDINAL})*)\\s+(cervical|thoracic|dorsal|lumbar|sacral)\\b`,
  'gi',
);
const ORDINAL_WORD = new RegExp(`\\b${ORDINAL}\\b`, 'gi');

const CHINESE_DIGITS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };
const CHINESE_REGION: Record<string, string> = { 颈: 'C', 胸: 'T', 腰: 'L', 骶: 'S' };
/** 第四腰椎 · 第十二胸椎 · 第一骶椎 (Arabic digits, 第4腰椎, are read in benchmark/levels.ts). */
const CHINESE_NUMERAL_ORDINAL = /第\s*([一二三四五六七八九十]{1,3})\s*([颈胸腰骶])椎/g;

/** Named vertebrae: atlas = C1, axis (as a vertebra) and the odontoid/dens = C2; 寰椎, 枢椎, 齿状突. */
const NAMED_VERTEBRAE: Array<[RegExp, string]> = [
  [/\batlas\b/gi, 'C1'],
  [/(?<=\batlas\s*(?:and|or|,|&|\/)\s*(?:the\s+)?)axis\b|\baxis(?=\s*(?:\(C2\)|vertebra|body|fracture|ring|arch))/gi, 'C2'],
  [/\b(?:odontoid|dens)\b/gi, 'C2'],
  [/寰椎/g, 'C1'],
  [/枢椎|齿状突/g, 'C2'],
];

/** Junctions: each stands for its canonical disc level (the thoracolumbar junction is the T12-L1 disc). */
const JUNCTIONS: Array<[RegExp, string[]]> = [
  [/\blumbo-?sacral\s+(?:junction|disc|level|segment|joint|interspace|transition)\b/gi, ['L5-S1']],
  [/\bthoraco-?lumbar\s+(?:junction|disc|level|segment|transition)\b/gi, ['T12-L1']],
  [/\bcervico-?thoracic\s+(?:junction|disc|level|segment|transition)\b/gi, ['C7-T1']],
  [/\batlanto-?axial\b/gi, ['C1-C2']],
  [/腰骶(?:段|关节|交界处?|椎间盘|间隙|移行)/g, ['L5-S1']],
  [/胸腰(?:段|交界处?|椎间盘|移行)/g, ['T12-L1']],
  [/颈胸(?:段|交界处?|椎间盘|移行)/g, ['C7-T1']],
  [/寰枢(?:椎|关节)?/g, ['C1-C2']],
];

function chineseNumber(text: string): number | null {
  if (text === '十') return 10;
  if (text.length === 1) return CHINESE_DIGITS[text] ?? null;
  if (text.length === 2 && text[0] === '十') return 10 + (CHINESE_DIGITS[text[1]] ?? NaN);
  return null;
}

/** Vertebrae named in words, in text order; `isVertebra` filters labels outside the vocabulary (a "thirteenth thoracic"). */
export function findWordVertebrae(text: string, isVertebra: (label: string) => boolean): WordVertebra[] {
  const out: WordVertebra[] = [];
  const push = (prefix: string, number: number, start: number, end: number) => {
    const label = `${prefix}${number}`;
    if (isVertebra(label)) out.push({ label, start, end, prefix, number });
  };
  for (const group of text.matchAll(ORDINAL_GROUP)) {
    const prefix = REGION_WORDS[group[2].toLowerCase()];
    const groupEnd = group.index! + group[0].length;
    const words = [...group[1].matchAll(ORDINAL_WORD)];
    words.forEach((w, i) => {
      const start = group.index! + w.index!;
      // The last ordinal's span takes the region word, so "fifth lumbar" is one mention.
      push(prefix, ORDINALS[w[0].toLowerCase()], start, i === words.length - 1 ? groupEnd : start + w[0].length);
    });
  }
  for (const m of text.matchAll(CHINESE_NUMERAL_ORDINAL)) {
    const number = chineseNumber(m[1]);
    if (number !== null) push(CHINESE_REGION[m[2]], number, m.index!, m.index! + m[0].length);
  }
  for (const [pattern, label] of NAMED_VERTEBRAE) {
    for (const m of text.matchAll(pattern)) out.push({ label, start: m.index!, end: m.index! + m[0].length, prefix: label[0], number: Number(label.slice(1)) });
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Junction names, in text order. */
export function findNamedJunctions(text: string): NamedLevel[] {
  const out: NamedLevel[] = [];
  for (const [pattern, levels] of JUNCTIONS) {
    for (const m of text.matchAll(pattern)) out.push({ levels, start: m.index!, end: m.index! + m[0].length });
  }
  return out.sort((a, b) => a.start - b.start);
}
