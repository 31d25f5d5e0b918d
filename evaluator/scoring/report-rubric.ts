/**
 * The report rubric of the SpineBench paper (docs/scoring.md): 10 dimensions rated 1–5, grouped in
 * 5 sections; section score = mean of its dimensions; report score = 20 × mean of the 5 section scores.
 */

export const REPORT_DIMENSIONS = [
  'imaging_report',
  'diagnosis',
  'patient_guidance',
  'evidence_based_treatment',
  'technical_feasibility',
  'risk_prognosis',
  'coverage',
  'relevance',
  'granularity',
  'interpretability',
] as const;
export type ReportDimension = (typeof REPORT_DIMENSIONS)[number];

export const RUBRIC_SECTIONS = {
  imaging_report: ['imaging_report'],
  diagnosis: ['diagnosis'],
  treatment: ['patient_guidance', 'evidence_based_treatment', 'technical_feasibility'],
  risk_prognosis: ['risk_prognosis'],
  quality: ['coverage', 'relevance', 'granularity', 'interpretability'],
} as const satisfies Record<string, readonly ReportDimension[]>;
export type RubricSection = keyof typeof RUBRIC_SECTIONS;
export const RUBRIC_SECTION_NAMES = Object.keys(RUBRIC_SECTIONS) as RubricSection[];

/** What each dimension asks, as the judge prompt states it. */
export const DIMENSION_QUESTIONS: Record<ReportDimension, string> = {
  imaging_report: 'Are the imaging findings described accurately and completely, at the right vertebral levels?',
  diagnosis: 'Is the diagnosis correct, specific and located at the right levels?',
  patient_guidance: 'Is the advice to the patient clear, correct and understandable by a layperson?',
  evidence_based_treatment: 'Is the treatment plan consistent with current evidence and guidelines?',
  technical_feasibility: 'Is the proposed (surgical) plan technically feasible and appropriate for this case?',
  risk_prognosis: 'Are risks, complications and prognosis assessed correctly for this case?',
  coverage: 'Does the report cover every key finding and section of the reference?',
  relevance: 'Does the report stay relevant to this case, without invented or unrelated content?',
  granularity: 'Is the level of detail (levels, grades, measurements) what a spine surgeon expects?',
  interpretability: 'Is the reasoning from findings to diagnosis and plan traceable?',
};

export interface RubricScore {
  dimensions: Record<ReportDimension, number>;
  sections: Record<RubricSection, number>;
  /** 0..100. */
  score: number;
}

/** Section means and the 0–100 report score from ten 1–5 ratings. Pure; throws on a missing or out-of-range rating. */
export function scoreRubric(dimensions: Record<ReportDimension, number>): RubricScore {
  for (const d of REPORT_DIMENSIONS) {
    const v = dimensions[d];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 1 || v > 5) {
      throw new Error(`report rubric: dimension "${d}" must be a rating from 1 to 5, got ${JSON.stringify(v)}`);
    }
  }
  const sections = {} as Record<RubricSection, number>;
  for (const name of RUBRIC_SECTION_NAMES) {
    const dims: readonly ReportDimension[] = RUBRIC_SECTIONS[name];
    sections[name] = dims.reduce((sum, d) => sum + dimensions[d], 0) / dims.length;
  }
  const meanOfSections = RUBRIC_SECTION_NAMES.reduce((sum, s) => sum + sections[s], 0) / RUBRIC_SECTION_NAMES.length;
  return { dimensions: { ...dimensions }, sections, score: 20 * meanOfSections };
}

/**
 * What a missing or blank report is worth (docs/decisions/127): the lowest score the scorer in use can give a
 * report. The judge's scale is 20 × mean of section means, so a report rated 1 on every dimension gets 20 and a
 * missing report gets the same 20, never less than the worst written report; the deterministic check's floor is 0.
 */
export const MISSING_REPORT_SCORE = { judge: 20, deterministic: 0 } as const;
