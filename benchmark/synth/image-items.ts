import type { ImageRef, McqItem } from '../item-schema';
import { cobbCategory, findingLevels, type Finding } from './findings';
import { fieldLevels, type SynthCase } from './cases';
import { neighbours, ROMAN, shuffleOptions } from './mcq';
import type { Prng } from './prng';
import { imagingWords, PATHOLOGY_NAMES, describeFinding } from './wording';

/** An MCQ without its id and split (the generator numbers them). */
export type McqDraft = Omit<McqItem, 'id' | 'split'>;

const SYNTH_SOURCE = 'SpineBench-Synth';

function base(synthCase: SynthCase, images: ImageRef[], language: 'en' | 'zh') {
  return {
    task: 'mcq' as const,
    inputKind: 'image' as const,
    language,
    region: synthCase.region,
    pathology: synthCase.finding.pathology,
    levels: findingLevels(synthCase.finding),
    images,
    provenance: { source: SYNTH_SOURCE, id: synthCase.key, synthetic: true },
  };
}

function segmentOrVertebra(finding: Finding): { level: string; kind: 'segment' | 'vertebra' } | null {
  if (finding.pathology === 'compression_fracture') return { level: finding.vertebra, kind: 'vertebra' };
  if (finding.pathology === 'scoliosis') return { level: finding.apex, kind: 'vertebra' };
  if (finding.pathology === 'normal') return null;
  return { level: finding.segment, kind: 'segment' };
}

const LEVEL_QUESTION: Record<Finding['pathology'], { en: string; zh: string }> = {
  spondylolisthesis: { en: 'At which level is the spondylolisthesis?', zh: '滑脱位于哪个节段？' },
  compression_fracture: { en: 'Which vertebra shows the compression fracture?', zh: '哪个椎体存在压缩性骨折？' },
  disc_herniation: { en: 'At which disc level is the herniation?', zh: '椎间盘突出位于哪个节段？' },
  canal_stenosis: { en: 'At which level is the spinal canal narrowest?', zh: '椎管最狭窄处位于哪个节段？' },
  scoliosis: { en: 'Which vertebra is the apex of the curve?', zh: '侧凸的顶椎是哪一个？' },
  normal: { en: '', zh: '' },
};

function levelIdentification(synthCase: SynthCase, images: ImageRef[], prng: Prng, language: 'en' | 'zh'): McqDraft | null {
  const target = segmentOrVertebra(synthCase.finding);
  if (!target) return null;
  const pool = fieldLevels(synthCase, target.kind);
  const { options, answer } = shuffleOptions(prng, target.level, neighbours(pool, target.level));
  const intro = language === 'zh' ? `以下为合成的${imagingWords(images, 'zh')}。` : `This synthetic ${imagingWords(images, 'en')} is shown.`;
  return {
    ...base(synthCase, images, language),
    skill: 'level_identification',
    question: `${intro} ${LEVEL_QUESTION[synthCase.finding.pathology][language]}`,
    options,
    answer,
    explanation: `The image shows ${describeFinding(synthCase.finding)}.`,
  } as McqDraft;
}

function pathologyAssessment(synthCase: SynthCase, images: ImageRef[], prng: Prng, language: 'en' | 'zh'): McqDraft {
  const names = Object.values(PATHOLOGY_NAMES).map((n) => n[language]);
  const correct = PATHOLOGY_NAMES[synthCase.finding.pathology][language];
  const { options, answer } = shuffleOptions(prng, correct, names, 5);
  const question =
    language === 'zh' ? `以下为合成的${imagingWords(images, 'zh')}。最主要的影像学表现是什么？` : `This synthetic ${imagingWords(images, 'en')} is shown. What is the main finding?`;
  return { ...base(synthCase, images, language), skill: 'pathology_assessment', question, options, answer, explanation: `The image shows ${describeFinding(synthCase.finding)}.` } as McqDraft;
}

function grading(synthCase: SynthCase, images: ImageRef[], prng: Prng): McqDraft | null {
  const f = synthCase.finding;
  const intro = `This synthetic ${imagingWords(images, 'en')} is shown.`;
  let question: string;
  let correct: string;
  let distractors: string[];
  if (f.pathology === 'spondylolisthesis') {
    question = `${intro} What is the Meyerding grade of the slip at ${f.segment}?`;
    correct = `Grade ${ROMAN[f.meyerdingGrade]}`;
    distractors = ['Grade I', 'Grade II', 'Grade III', 'Grade IV', 'Grade V'];
  } else if (f.pathology === 'compression_fracture') {
    question = `${intro} What is the Genant grade of the ${f.vertebra} fracture?`;
    const names = ['Grade 0 (normal, under 20% height loss)', 'Grade 1 (mild, 20–25%)', 'Grade 2 (moderate, 25–40%)', 'Grade 3 (severe, over 40%)'];
    correct = names[f.genantGrade];
    distractors = names;
  } else if (f.pathology === 'scoliosis') {
    question = `${intro} How severe is the curve by its Cobb angle?`;
    const names = { mild: 'Mild (10–25°)', moderate: 'Moderate (25–45°)', severe: 'Severe (over 45°)' };
    correct = names[cobbCategory(f.cobbAngle)];
    distractors = [...Object.values(names), 'No scoliosis (under 10°)'];
  } else return null;
  const { options, answer } = shuffleOptions(prng, correct, distractors);
  return { ...base(synthCase, images, 'en'), skill: 'grading', question, options, answer, explanation: `The image shows ${describeFinding(f)}.` } as McqDraft;
}

/** The procedure and level a spine surgeon would plan for the finding (a simplified, consistent rule set). */
export function plannedProcedure(synthCase: SynthCase, level?: string): string {
  const f = synthCase.finding;
  const at = level ?? segmentOrVertebra(f)?.level ?? '';
  switch (f.pathology) {
    case 'spondylolisthesis':
      return f.meyerdingGrade >= 2 ? `Decompression and instrumented fusion at ${at}` : `Decompression at ${at} (fusion only if instability)`;
    case 'compression_fracture':
      return `Vertebral augmentation (kyphoplasty) of ${at}`;
    case 'disc_herniation':
      return synthCase.region === 'cervical' ? `Anterior cervical discectomy and fusion at ${at}` : `Microdiscectomy at ${at}`;
    case 'canal_stenosis':
      return synthCase.region === 'cervical' ? `Anterior decompression and fusion at ${at}` : `Laminectomy (decompression) at ${at}`;
    case 'scoliosis': {
      const category = cobbCategory(f.cobbAngle);
      if (category === 'mild') return 'Observation with periodic radiographs';
      if (category === 'moderate') return 'Bracing while skeletally immature';
      return `Posterior spinal fusion from ${f.upperEnd} to ${f.lowerEnd}`;
    }
    case 'normal':
      return 'No surgical intervention';
  }
}

function surgicalPlanning(synthCase: SynthCase, images: ImageRef[], prng: Prng): McqDraft {
  const f = synthCase.finding;
  const target = segmentOrVertebra(f);
  const correct = plannedProcedure(synthCase);
  let distractors: string[];
  if (f.pathology === 'scoliosis') {
    distractors = ['Observation with periodic radiographs', 'Bracing while skeletally immature', `Posterior spinal fusion from ${f.upperEnd} to ${f.lowerEnd}`, 'Microdiscectomy at L4-L5'];
  } else if (f.pathology === 'normal') {
    distractors = ['Microdiscectomy at L4-L5', 'Vertebral augmentation (kyphoplasty) of L1', 'Decompression and instrumented fusion at L5-S1', 'Anterior cervical discectomy and fusion at C5-C6'];
  } else {
    // Same procedure at the wrong level is the distractor that matters.
    const pool = fieldLevels(synthCase, target!.kind);
    distractors = neighbours(pool, target!.level).slice(0, 2).map((level) => plannedProcedure(synthCase, level));
    distractors.push(f.pathology === 'compression_fracture' ? `Microdiscectomy at ${pool[pool.indexOf(target!.level) - 1] ?? 'L4-L5'}` : `Vertebral augmentation (kyphoplasty) of ${prng.pick(['T12', 'L1', 'L2'])}`);
    distractors.push('No surgical intervention');
  }
  const { options, answer } = shuffleOptions(prng, correct, distractors);
  const history = `A ${synthCase.age}-year-old ${synthCase.sex} patient with symptoms matching the imaging, after failed conservative care where relevant.`;
  return {
    ...base(synthCase, images, 'en'),
    skill: 'surgical_planning',
    question: `This synthetic ${imagingWords(images, 'en')} is shown. ${history} What is the most appropriate plan?`,
    options,
    answer,
    explanation: `The image shows ${describeFinding(f)}; plan: ${correct}.`,
  } as McqDraft;
}

/** Every MCQ a case can support (level, pathology, grading, planning), in a fixed order. */
export function imageQuestions(synthCase: SynthCase, images: ImageRef[], prng: Prng, chineseShare: number): McqDraft[] {
  const zh = () => (prng.chance(chineseShare) ? 'zh' : 'en');
  return [
    levelIdentification(synthCase, images, prng, zh()),
    pathologyAssessment(synthCase, images, prng, zh()),
    grading(synthCase, images, prng),
    surgicalPlanning(synthCase, images, prng),
  ].filter((q): q is McqDraft => q !== null);
}
