import { z } from 'zod';

/** One SpineBench item as it appears on a line of a release's items.jsonl. */

export const SPLITS = ['dev', 'test'] as const;
export const INPUT_KINDS = ['text', 'image'] as const;
export const LANGUAGES = ['en', 'zh'] as const;
export const MODALITIES = ['xray', 'ct', 'mri'] as const;
export const REGIONS = ['cervical', 'thoracic', 'lumbar', 'sacral'] as const;
export const SKILLS = [
  'level_identification',
  'pathology_assessment',
  'surgical_planning',
  'grading',
  'clinical_knowledge',
  'report_generation',
] as const;
export const OPTION_LETTERS = ['A', 'B', 'C', 'D', 'E'] as const;

export const splitSchema = z.enum(SPLITS);
export const modalitySchema = z.enum(MODALITIES);
export const optionLetterSchema = z.enum(OPTION_LETTERS);

export const imageRefSchema = z.object({
  /** Path relative to the release folder, e.g. `images/dev-0001-lat.png`. */
  file: z.string().min(1),
  modality: modalitySchema,
  /** View or sequence: `lateral`, `ap`, `sagittal`, `sagittal_t2`, `axial_t2`, ... */
  view: z.string().min(1),
});

export const IMAGE_MEDIA_TYPES = ['image/png', 'image/jpeg'] as const;

/** An image as stored in the database: the release file replaced by its content hash in the image store. */
export const storedImageRefSchema = imageRefSchema.extend({
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  mediaType: z.enum(IMAGE_MEDIA_TYPES),
});

export const provenanceSchema = z.object({
  source: z.string().min(1),
  id: z.string().optional(),
  doi: z.string().optional(),
  synthetic: z.boolean(),
});

const itemBaseSchema = z.object({
  id: z.string().min(1).max(128).regex(/^[A-Za-z0-9._-]+$/, 'id may hold letters, digits, ".", "_" and "-" only'),
  split: splitSchema,
  inputKind: z.enum(INPUT_KINDS),
  language: z.enum(LANGUAGES),
  question: z.string().min(1),
  skill: z.enum(SKILLS),
  region: z.enum(REGIONS),
  pathology: z.string().min(1),
  /** Canonical level labels (`L4`, `L4-L5`, ...), see benchmark/levels. */
  levels: z.array(z.string()),
  images: z.array(imageRefSchema),
  provenance: provenanceSchema,
  /** Why the answer is right (shown for the public dev split only). */
  explanation: z.string().min(1).optional(),
});

export const mcqItemSchema = itemBaseSchema.extend({
  task: z.literal('mcq'),
  options: z.record(optionLetterSchema, z.string().min(1)),
  answer: optionLetterSchema,
});

export const REPORT_SECTIONS = [
  'structuredFindings',
  'diagnosis',
  'treatmentAdvice',
  'riskPrognosis',
  'postoperativeManagement',
  'diagnosticBasis',
] as const;
export type ReportSection = (typeof REPORT_SECTIONS)[number];

/** The six sections' headings, in order, as pages, prompts and the judge write them. */
export const REPORT_SECTION_TITLES: Record<'en' | 'zh', Record<ReportSection, string>> = {
  en: {
    structuredFindings: 'Structured findings',
    diagnosis: 'Diagnosis',
    treatmentAdvice: 'Treatment advice',
    riskPrognosis: 'Risk and prognosis',
    postoperativeManagement: 'Post-operative management',
    diagnosticBasis: 'Diagnostic basis',
  },
  zh: {
    structuredFindings: '结构化影像所见',
    diagnosis: '诊断',
    treatmentAdvice: '治疗建议',
    riskPrognosis: '风险与预后',
    postoperativeManagement: '术后管理',
    diagnosticBasis: '诊断依据',
  },
};

export const referenceReportSchema = z.object({
  structuredFindings: z.string().min(1),
  diagnosis: z.string().min(1),
  treatmentAdvice: z.string().min(1),
  riskPrognosis: z.string().min(1),
  postoperativeManagement: z.string().min(1),
  diagnosticBasis: z.string().min(1),
});

export const keyFindingSchema = z.object({
  finding: z.string().min(1),
  levels: z.array(z.string()).min(1),
});

export const reportItemSchema = itemBaseSchema.extend({
  task: z.literal('report'),
  caseHistory: z.string().min(1),
  referenceReport: referenceReportSchema,
  keyFindings: z.array(keyFindingSchema),
});

export const itemSchema = z.discriminatedUnion('task', [mcqItemSchema, reportItemSchema]);

export type Split = z.infer<typeof splitSchema>;
export type Modality = z.infer<typeof modalitySchema>;
export type OptionLetter = z.infer<typeof optionLetterSchema>;
export type ImageRef = z.infer<typeof imageRefSchema>;
export type StoredImageRef = z.infer<typeof storedImageRefSchema>;
export type ImageMediaType = (typeof IMAGE_MEDIA_TYPES)[number];
export type McqItem = z.infer<typeof mcqItemSchema>;
export type ReportItem = z.infer<typeof reportItemSchema>;
export type Item = z.infer<typeof itemSchema>;
/** An item as held in `items.payload`: images carry their content hash (file kept for export). */
export type StoredItem = (Omit<McqItem, 'images'> | Omit<ReportItem, 'images'>) & { images: StoredImageRef[] };
