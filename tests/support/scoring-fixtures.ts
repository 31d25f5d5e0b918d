import { itemSchema, type McqItem, type ReportItem } from '../../benchmark/item-schema';
import type { JudgeOutcome } from '../../evaluator/judge/client';
import { judgeIdentity } from '../../evaluator/judge/config';
import { REPORT_DIMENSIONS, scoreRubric } from '../../evaluator/scoring/report-rubric';

/** A valid MCQ item (parsed by the real schema), with overrides. */
export function makeMcqItem(overrides: Partial<McqItem> = {}): McqItem {
  return itemSchema.parse({
    id: 'dev-mcq-0001',
    split: 'dev',
    task: 'mcq',
    inputKind: 'image',
    language: 'en',
    question: 'At which level is the disc herniation on this sagittal T2 MRI?',
    skill: 'level_identification',
    region: 'lumbar',
    pathology: 'disc_herniation',
    levels: ['L4-L5'],
    images: [{ file: 'images/dev-0001.png', modality: 'mri', view: 'sagittal_t2' }],
    provenance: { source: 'SpineBench-Synth', synthetic: true },
    options: { A: 'L3-L4', B: 'L4-L5', C: 'L5-S1', D: 'L2-L3' },
    answer: 'B',
    ...overrides,
  }) as McqItem;
}

/** A valid report item (parsed by the real schema), with overrides. */
export function makeReportItem(overrides: Partial<ReportItem> = {}): ReportItem {
  return itemSchema.parse({
    id: 'dev-report-0001',
    split: 'dev',
    task: 'report',
    inputKind: 'image',
    language: 'en',
    question: 'Write a full diagnostic report for this case.',
    skill: 'report_generation',
    region: 'lumbar',
    pathology: 'disc_herniation',
    levels: ['L4-L5'],
    images: [
      { file: 'images/dev-r-0001-sag.png', modality: 'mri', view: 'sagittal_t2' },
      { file: 'images/dev-r-0001-lat.png', modality: 'xray', view: 'lateral' },
    ],
    provenance: { source: 'SpineBench-Synth', synthetic: true },
    caseHistory: 'A 45-year-old man with low back pain radiating to the left leg for three months.',
    referenceReport: {
      structuredFindings: 'L4-L5 disc extrusion to the left compressing the traversing L5 nerve root. L5-S1 disc desiccation.',
      diagnosis: 'Lumbar disc herniation at L4-L5 with left L5 radiculopathy.',
      treatmentAdvice: 'Physiotherapy and analgesics for six weeks; microdiscectomy if the deficit progresses.',
      riskPrognosis: 'Good prognosis; recurrence risk about 5-10 percent.',
      postoperativeManagement: 'Early mobilisation, no heavy lifting for six weeks.',
      diagnosticBasis: 'Radicular pain in the L5 dermatome matches the MRI finding.',
    },
    keyFindings: [
      { finding: 'disc extrusion compressing the nerve root', levels: ['L4-L5'] },
      { finding: 'disc desiccation', levels: ['L5-S1'] },
    ],
    ...overrides,
  }) as ReportItem;
}

export const JUDGE = { model: 'judge-model', modelVersion: '2025-01-01' };

/** A judge outcome that rates every rubric dimension `rating` (1–5), from `model`. */
export function scoredOutcome(rating: number, model = JUDGE.model): JudgeOutcome {
  const dims = Object.fromEntries(REPORT_DIMENSIONS.map((d) => [d, rating])) as Record<(typeof REPORT_DIMENSIONS)[number], number>;
  return {
    status: 'scored',
    judge: judgeIdentity({ ...JUDGE, model }),
    attempts: 1,
    rubric: scoreRubric(dims),
    rationales: Object.fromEntries(REPORT_DIMENSIONS.map((d) => [d, 'ok'])) as Record<(typeof REPORT_DIMENSIONS)[number], string>,
    servedModel: model,
  };
}
