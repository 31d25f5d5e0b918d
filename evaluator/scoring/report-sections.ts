import { REPORT_SECTIONS } from '../../benchmark/item-schema';

export type ReportSectionName = (typeof REPORT_SECTIONS)[number];

/**
 * Heading words for the six reference-report sections (docs/release-format.md), English and Chinese. A heading line is
 * assigned to the section with the longest matching keyword, so "诊断依据" is the diagnostic basis, not the
 * diagnosis, and "Post-operative management" is not treatment.
 */
const SECTION_KEYWORDS: Record<ReportSectionName, string[]> = {
  structuredFindings: ['findings', 'imaging findings', 'structured findings', 'radiological findings', 'radiologic findings', 'imaging', '影像所见', '影像学表现', '影像表现', '检查所见', '结构化所见', '影像学所见'],
  diagnosis: ['diagnosis', 'diagnoses', 'impression', 'assessment', 'ai-assisted diagnosis', 'clinical diagnosis', '诊断', '初步诊断', '影像诊断', '临床诊断', '诊断意见'],
  treatmentAdvice: ['treatment', 'treatment advice', 'treatment recommendations', 'recommendation', 'recommendations', 'management plan', 'plan', 'therapy', 'patient advice', '治疗', '治疗建议', '治疗方案', '建议', '处理意见'],
  riskPrognosis: ['risk', 'risks', 'prognosis', 'risk and prognosis', 'risks and prognosis', 'complications', '预后', '风险', '风险与预后', '风险及预后'],
  postoperativeManagement: ['post-operative', 'postoperative', 'post-op', 'postop', 'post-operative management', 'postoperative management', 'postoperative care', 'post-operative care', 'rehabilitation', 'follow-up', '术后', '术后管理', '术后处理', '康复', '随访'],
  diagnosticBasis: ['diagnostic basis', 'basis for diagnosis', 'basis of diagnosis', 'diagnostic rationale', 'rationale', 'reasoning', 'evidence', '诊断依据', '依据'],
};

const KEYWORDS = Object.entries(SECTION_KEYWORDS)
  .flatMap(([section, words]) => words.map((word) => ({ section: section as ReportSectionName, word })))
  .sort((a, b) => b.word.length - a.word.length);
/** Quick filter: a line can only be a heading if it starts with some keyword. */
const ANY_KEYWORD = new RegExp(`^(?:${KEYWORDS.map((k) => k.word.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')).join('|')})`);

/** Markdown heading marks, bullets, bold, and numbering (`1.`, `1)`, `一、`, `（一）`) before a heading word. */
const HEADING_PREFIX = /^(?:#{1,6}\s*|[-*•]\s+|\*\*|__|\d{1,2}[.)、]\s*|[一二三四五六七八九十]+[、.]\s*|[(（][一二三四五六七八九十\d]+[)）]\s*)*/;
const MAX_HEADING_CHARS = 60;

/** Which of the six sections a report has, judged from its heading lines (or `Heading:` line openings). Pure. */
export function detectReportSections(report: string): Record<ReportSectionName, boolean> {
  return detectSectionsInNormalized(report.normalize('NFKC'));
}

/** detectReportSections for text that is already NFKC-normalised (skips a second pass over a long report). */
export function detectSectionsInNormalized(report: string): Record<ReportSectionName, boolean> {
  const found = Object.fromEntries(REPORT_SECTIONS.map((s) => [s, false])) as Record<ReportSectionName, boolean>;
  for (const rawLine of report.split('\n')) {
    const line = rawLine.trim().replace(HEADING_PREFIX, '').toLowerCase();
    if (line === '' || !ANY_KEYWORD.test(line)) continue;
    const section = headingSection(line, rawLine.trim().length);
    if (section) found[section] = true;
  }
  return found;
}

/**
 * The sections a report has *with something written under them* (docs/decisions/127): a heading followed by at
 * least MIN_SECTION_WORDS words (on its own line after `:`, or on the lines up to the next heading). A bare list
 * of headings is a template, not a report. Pure; expects NFKC-normalised text.
 */
export function detectSectionsWithContent(report: string): Record<ReportSectionName, boolean> {
  const words = Object.fromEntries(REPORT_SECTIONS.map((s) => [s, 0])) as Record<ReportSectionName, number>;
  let current: ReportSectionName | null = null;
  for (const rawLine of report.split('\n')) {
    const line = rawLine.trim().replace(HEADING_PREFIX, '').toLowerCase();
    const heading = line !== '' && ANY_KEYWORD.test(line) ? headingMatch(line, rawLine.trim().length) : null;
    if (heading) {
      current = heading.section;
      words[current] += countWords(heading.rest.replace(/^[:：]/, ''));
    } else if (current) {
      words[current] += countWords(line);
    }
  }
  return Object.fromEntries(REPORT_SECTIONS.map((s) => [s, words[s] >= MIN_SECTION_WORDS])) as Record<ReportSectionName, boolean>;
}

/** Words under a heading for the section to count: a short clinical sentence ("Good prognosis; recurrence 5-10%."). */
const MIN_SECTION_WORDS = 3;

/** Latin words of two or more letters, plus CJK characters (one each: "预后良好" is a short sentence). */
function countWords(text: string): number {
  const latin = text.match(/\p{Script=Latin}{2,}/gu)?.length ?? 0;
  const cjk = text.match(/[\u4e00-\u9fff]/g)?.length ?? 0;
  return latin + cjk;
}

function headingSection(line: string, rawLength: number): ReportSectionName | null {
  return headingMatch(line, rawLength)?.section ?? null;
}

function headingMatch(line: string, rawLength: number): { section: ReportSectionName; rest: string } | null {
  for (const { section, word } of KEYWORDS) {
    if (!line.startsWith(word)) continue;
    const rest = line.slice(word.length).replace(/^[*_\s]+/, '');
    const endsWord = !/^[a-z]/.test(line.slice(word.length));
    if (!endsWord) continue;
    // `Diagnosis:` / `诊断：` opens a section; otherwise the whole line must be short enough to be a heading.
    if (rest === '' || /^[:：]/.test(rest)) return { section, rest };
    if (rawLength <= MAX_HEADING_CHARS && !/[.。]$/.test(rest)) return { section, rest: '' };
  }
  return null;
}
