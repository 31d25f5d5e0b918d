import type { ReportItem } from '../../benchmark/item-schema';
import { REPORT_SECTIONS } from '../../benchmark/item-schema';
import { findLevelMentions, levelKind, parseLevels, segmentVertebrae } from '../../benchmark/levels';
import { normalizeAnswerText } from './answer-text';
import { scoreLevelSets, type LevelScore } from './level-score';
import { detectSectionsWithContent, type ReportSectionName } from './report-sections';

export type FindingStatus = 'covered' | 'wrong_level' | 'missing';

/**
 * The judge-free check of a generated report. Findings are reported by index, never by text, so a stored
 * check of a hidden-split item quotes nothing of it.
 */
export interface ReportCheck {
  method: 'deterministic';
  /** 0..100; see DETERMINISTIC_WEIGHTS. Not comparable with a judge score. */
  score: number;
  coverage: { total: number; covered: number; wrongLevel: number; rate: number; findings: Array<{ index: number; status: FindingStatus }> };
  /** Every level the candidate names (canonical). */
  namedLevels: string[];
  /** Named levels the case does not have (not in the item, its key findings or its reference report). */
  inventedLevels: string[];
  /** Sentences left out because they repeat the task or the case history (an echo is not a report). */
  echoedSentences: number;
  /** Sections with something written under their heading. */
  sections: Record<ReportSectionName, boolean>;
  sectionRate: number;
  /** Named levels against the case's levels (item levels and key-finding levels); null when the case has none. */
  levels: LevelScore | null;
}

/**
 * How the components make the deterministic 0–100 score (docs/decisions/127); a component that does not apply is
 * left out and the rest re-weighted. `levelPrecision` is the share of named levels the case has: naming no level
 * earns nothing, so saying nothing never beats a real report.
 */
export const DETERMINISTIC_WEIGHTS = { coverage: 0.5, sections: 0.3, levelPrecision: 0.2 } as const;
/** A key finding described at the wrong level earns this share of a covered one: the pathology was seen, the level is wrong. */
export const WRONG_LEVEL_CREDIT = 0.25;
/** A sentence of at least this many terms, this share of them from the task or case history, is an echo. */
const ECHO_MIN_TERMS = 4;
const ECHO_SHARE = 0.8;

/** A key finding counts as found when at least this share of its words occur in one sentence. */
const TERM_MATCH_SHARE = 0.5;
const STOPWORDS = new Set(
  'the and with without of at in on to for from by or a an is are was were be been this that these those level levels left right mild moderate severe'.split(' '),
);

export function checkReport(item: ReportItem, candidateRaw: string): ReportCheck {
  const candidate = normalizeAnswerText(candidateRaw);
  // One parser pass over the whole candidate; each mention is assigned to the sentence it starts in.
  const mentions = findLevelMentions(candidate); // in text order
  const lowerCandidate = candidate.toLowerCase();
  let next = 0;
  const sentences = splitSentences(candidate).map(({ start, end }) => {
    const levels = new Set<string>();
    while (next < mentions.length && mentions[next].start < start) next++;
    for (; next < mentions.length && mentions[next].start < end; next++) for (const l of mentions[next].levels) levels.add(l);
    return { lower: lowerCandidate.slice(start, end), levels };
  });
  const { findingTerms, known, promptTerms } = caseFacts(item);
  // Repeating the task or the history is not reporting: such sentences neither cover findings nor name levels.
  const own = sentences.filter((s) => !isEcho(s.lower, promptTerms));
  const echoedSentences = sentences.length - own.length;

  const findings = item.keyFindings.map((finding, index) => {
    const wanted = finding.levels;
    const terms = findingTerms[index];
    const mentioning = own.filter((s) => termShare(terms, s.lower) >= TERM_MATCH_SHARE);
    let status: FindingStatus = 'missing';
    if (mentioning.length > 0) {
      const named = new Set(mentioning.flatMap((s) => [...s.levels]));
      status = wanted.every((l) => named.has(l)) ? 'covered' : 'wrong_level';
    }
    return { index, status };
  });
  const covered = findings.filter((f) => f.status === 'covered').length;
  const wrongLevel = findings.filter((f) => f.status === 'wrong_level').length;

  const namedLevels = [...new Set(own.flatMap((s) => [...s.levels]))];
  const inventedLevels = namedLevels.filter((l) => !isKnown(l, known));

  const sections = detectSectionsWithContent(candidate);
  const sectionRate = REPORT_SECTIONS.filter((s) => sections[s]).length / REPORT_SECTIONS.length;

  const truth = [...new Set([...item.levels, ...item.keyFindings.flatMap((f) => f.levels)])];
  const levels = truth.length > 0 ? scoreLevelSets(namedLevels, truth) : null;

  const coverageRate = findings.length === 0 ? null : (covered + WRONG_LEVEL_CREDIT * wrongLevel) / findings.length;
  // A case without any level cannot reward or punish naming one; otherwise naming none earns nothing.
  const levelPrecision = known.size === 0 ? null : namedLevels.length === 0 ? 0 : 1 - inventedLevels.length / namedLevels.length;
  const parts: Array<[number, number | null]> = [
    [DETERMINISTIC_WEIGHTS.coverage, coverageRate],
    [DETERMINISTIC_WEIGHTS.sections, sectionRate],
    [DETERMINISTIC_WEIGHTS.levelPrecision, levelPrecision],
  ];
  const applicable = parts.filter((p): p is [number, number] => p[1] !== null);
  const weight = applicable.reduce((s, [w]) => s + w, 0);
  const score = (100 * applicable.reduce((s, [w, v]) => s + w * v, 0)) / weight;

  return {
    method: 'deterministic',
    score,
    coverage: { total: findings.length, covered, wrongLevel, rate: coverageRate ?? 0, findings },
    namedLevels,
    inventedLevels,
    echoedSentences,
    sections,
    sectionRate,
    levels,
  };
}

/** What the check needs from the case, memoised per item object (items are immutable once parsed). */
interface CaseFacts {
  /** Per key finding, one matcher per term (word stem or CJK character pair). */
  findingTerms: RegExp[][];
  known: Set<string>;
  /** Terms of the task and the case history (level mentions removed), to recognise an echo. */
  promptTerms: Set<string>;
}
const caseFactsCache = new WeakMap<ReportItem, CaseFacts>();
function caseFacts(item: ReportItem): CaseFacts {
  let facts = caseFactsCache.get(item);
  if (!facts) {
    const reference = Object.values(item.referenceReport).join('\n');
    facts = {
      findingTerms: item.keyFindings.map((f) => [...termsOf(stripLevels(f.finding))].map(termMatcher)),
      known: new Set([...item.levels, ...item.keyFindings.flatMap((f) => f.levels), ...parseLevels(reference), ...parseLevels(item.caseHistory)]),
      promptTerms: termsOf(stripLevels(`${item.question}\n${item.caseHistory}`)),
    };
    caseFactsCache.set(item, facts);
  }
  return facts;
}

/** A sentence that mostly repeats the task or case history (lower-cased sentence text). */
function isEcho(sentence: string, promptTerms: Set<string>): boolean {
  const terms = termsOf(sentence);
  if (terms.size < ECHO_MIN_TERMS) return false;
  let repeated = 0;
  for (const t of terms) if (promptTerms.has(t)) repeated++;
  return repeated / terms.size >= ECHO_SHARE;
}

/** A named vertebra is not invented when a known segment ends at it (`L5` root of the `L4-L5` disc). */
function isKnown(level: string, known: Set<string>): boolean {
  if (known.has(level)) return true;
  if (levelKind(level) !== 'vertebra') return false;
  for (const k of known) if (levelKind(k) === 'segment' && segmentVertebrae(k).includes(level)) return true;
  return false;
}

/** Sentences with their offsets in `text`. */
function splitSentences(text: string): Array<{ text: string; start: number; end: number }> {
  const out: Array<{ text: string; start: number; end: number }> = [];
  const boundary = /(?<=[.!?])\s+|[\n。！？；;]+/gu;
  let start = 0;
  for (const m of text.matchAll(boundary)) {
    if (m.index! > start) out.push({ text: text.slice(start, m.index!), start, end: m.index! });
    start = m.index! + m[0].length;
  }
  if (start < text.length) out.push({ text: text.slice(start), start, end: text.length });
  return out.filter((s) => s.text.trim() !== '');
}

/** Level mentions removed, so a finding's words are its pathology words. */
function stripLevels(text: string): string {
  const mentions = findLevelMentions(text.normalize('NFKC'));
  let out = text.normalize('NFKC');
  for (const m of [...mentions].reverse()) out = out.slice(0, m.start) + ' ' + out.slice(m.end);
  return out;
}

/** Latin words (first 5 letters, so herniation ~ herniated) and CJK character pairs. */
function termsOf(text: string): Set<string> {
  const terms = new Set<string>();
  const lower = text.normalize('NFKC').toLowerCase();
  for (const word of lower.match(/[a-z]{3,}/g) ?? []) if (!STOPWORDS.has(word)) terms.add(word.slice(0, 5));
  for (const run of lower.match(/[\u4e00-\u9fff]+/g) ?? []) {
    if (run.length === 1) terms.add(run);
    for (let i = 0; i + 1 < run.length; i++) terms.add(run.slice(i, i + 2));
  }
  return terms;
}

/** A Latin stem matches at a word start (`herni` in "herniated"); a CJK pair matches anywhere. */
function termMatcher(term: string): RegExp {
  return /^[a-z]/.test(term) ? new RegExp(`(?<![a-z])${term}`) : new RegExp(term);
}

/** Share of a finding's terms found in a lower-cased sentence; a finding with no words matches every sentence. */
function termShare(matchers: readonly RegExp[], sentence: string): number {
  if (matchers.length === 0) return 1;
  let hit = 0;
  for (const m of matchers) if (m.test(sentence)) hit++;
  return hit / matchers.length;
}
