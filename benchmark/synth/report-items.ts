import type { ImageRef, ReportItem } from '../item-schema';
import type { SynthCase } from './cases';
import { cobbCategory, findingLevels } from './findings';
import { plannedProcedure } from './image-items';
import type { Prng } from './prng';
import { describeFinding, imagingWords } from './wording';

export type ReportDraft = Omit<ReportItem, 'id' | 'split'>;

const SYMPTOMS: Record<SynthCase['finding']['pathology'], string[]> = {
  spondylolisthesis: ['mechanical low back pain for two years', 'neurogenic claudication after 200 m of walking', 'back pain with bilateral leg heaviness on standing'],
  compression_fracture: ['sudden thoracolumbar pain after a minor fall', 'acute back pain after lifting a box, known osteoporosis', 'back pain after a fall from standing height'],
  disc_herniation: ['radiating leg pain with a positive straight-leg raise', 'arm pain and paraesthesia in a dermatomal pattern', 'acute sciatica for six weeks despite physiotherapy'],
  canal_stenosis: ['progressive walking intolerance relieved by sitting', 'clumsy hands and gait imbalance', 'bilateral leg pain on walking, relieved by flexion'],
  scoliosis: ['shoulder asymmetry noticed at a school screening', 'a rib hump on forward bending', 'trunk shift noticed by the parents'],
  normal: ['non-specific back pain without red flags', 'neck stiffness after a long flight', 'routine pre-employment check with mild back pain'],
};

function referenceReport(c: SynthCase, images: ImageRef[]): ReportItem['referenceReport'] {
  const f = c.finding;
  const where = findingLevels(f).join(', ');
  const finding = describeFinding(f);
  const plan = plannedProcedure(c);
  const imaging = imagingWords(images, 'en');
  const diagnosis: Record<typeof f.pathology, string> = {
    spondylolisthesis: `Degenerative spondylolisthesis at ${where}.`,
    compression_fracture: `Vertebral compression fracture of ${where}.`,
    disc_herniation: `Disc herniation at ${where}.`,
    canal_stenosis: `Central spinal canal stenosis at ${where}.`,
    scoliosis: `${f.pathology === 'scoliosis' ? cobbCategory(f.cobbAngle) : ''} scoliosis (${where} end vertebrae).`,
    normal: 'No structural abnormality of the imaged spine.',
  };
  return {
    structuredFindings: `Synthetic ${imaging}. ${finding[0].toUpperCase()}${finding.slice(1)}. Other levels: vertebral heights and disc spaces preserved, alignment otherwise normal.`,
    diagnosis: diagnosis[f.pathology].replace(/^./, (ch) => ch.toUpperCase()),
    treatmentAdvice:
      f.pathology === 'normal'
        ? 'Patient: the scan looks normal; stay active and use simple pain relief. Evidence-based: education and exercise therapy; no imaging follow-up needed without red flags.'
        : `Patient: the pictures show ${finding}; this explains your symptoms and can be treated. Evidence-based: conservative care first where appropriate; if it fails or deficits progress: ${plan}.`,
    riskPrognosis:
      f.pathology === 'normal'
        ? 'Good prognosis; most episodes of non-specific pain resolve within weeks.'
        : `Risk of progression is ${f.pathology === 'spondylolisthesis' && f.meyerdingGrade >= 3 ? 'high' : 'moderate'}; operating at the wrong level (${where} is the target) is the key surgical risk, so levels must be confirmed intraoperatively.`,
    postoperativeManagement:
      f.pathology === 'normal' ? 'Not applicable (no surgery).' : `After ${plan[0].toLowerCase()}${plan.slice(1)}: early mobilisation, wound checks, upright radiographs at 6 weeks and 3 months, graded return to activity.`,
    diagnosticBasis: `${imaging[0].toUpperCase()}${imaging.slice(1)} showing ${finding}; clinical picture: ${SYMPTOMS[f.pathology][0]}.`,
  };
}

/** A report-generation case: history, reference report in six sections, key findings with levels. */
export function reportItem(c: SynthCase, images: ImageRef[], prng: Prng): ReportDraft {
  const f = c.finding;
  const symptom = prng.pick(SYMPTOMS[f.pathology]);
  const keyFinding = f.pathology === 'normal' ? [] : [{ finding: describeFinding(f), levels: findingLevels(f) }];
  return {
    task: 'report',
    inputKind: 'image',
    language: 'en',
    skill: 'report_generation',
    region: c.region,
    pathology: f.pathology,
    levels: findingLevels(f),
    images,
    provenance: { source: 'SpineBench-Synth', id: c.key, synthetic: true },
    question: `Write a structured report for this synthetic case (${imagingWords(images, 'en')}): findings, diagnosis, treatment advice (for the patient and evidence-based), risk and prognosis, post-operative management, and the diagnostic basis.`,
    caseHistory: `Synthetic case. A ${c.age}-year-old ${c.sex} with ${symptom}.`,
    referenceReport: referenceReport(c, images),
    keyFindings: keyFinding,
  };
}
