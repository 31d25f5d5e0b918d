import type { SpineRegion } from '../level-vocabulary';
import { cobbCategory, genantGrade, meyerdingGrade } from './findings';
import type { McqDraft } from './image-items';
import { neighbours, ROMAN, shuffleOptions } from './mcq';
import type { Prng } from './prng';

/** Text-only knowledge MCQs from parameterised templates; answers are computed, never typed in. */

const USUAL_SPINE = ['C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7', 'T1', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7', 'T8', 'T9', 'T10', 'T11', 'T12', 'L1', 'L2', 'L3', 'L4', 'L5', 'S1'];
const LUMBAR_ROOT: Record<string, string> = { 'L1-L2': 'L2', 'L2-L3': 'L3', 'L3-L4': 'L4', 'L4-L5': 'L5', 'L5-S1': 'S1' };
const CERVICAL_ROOT: Record<string, string> = { 'C3-C4': 'C4', 'C4-C5': 'C5', 'C5-C6': 'C6', 'C6-C7': 'C7', 'C7-T1': 'C8' };
const ROOTS = ['C4', 'C5', 'C6', 'C7', 'C8', 'L2', 'L3', 'L4', 'L5', 'S1', 'S2'];

type Template = (prng: Prng) => Omit<McqDraft, 'inputKind' | 'images' | 'provenance' | 'task'>;

const regionOf = (label: string): SpineRegion => (label.startsWith('C') ? 'cervical' : label.startsWith('T') ? 'thoracic' : label.startsWith('L') ? 'lumbar' : 'sacral');

/** A slip percentage away from grade boundaries (so the answer is not a matter of rounding). */
function slipAwayFromBoundaries(prng: Prng): number {
  for (;;) {
    const slip = prng.int(3, 97);
    if (slip % 25 >= 3 && slip % 25 <= 22) return slip;
  }
}

const TEMPLATES: Template[] = [
  (prng) => {
    const slip = slipAwayFromBoundaries(prng);
    const segment = prng.pick(['L3-L4', 'L4-L5', 'L5-S1']);
    const { options, answer } = shuffleOptions(prng, `Grade ${ROMAN[meyerdingGrade(slip)]}`, ['Grade I', 'Grade II', 'Grade III', 'Grade IV', 'Grade V']);
    return { language: 'en', skill: 'grading', region: 'lumbar', pathology: 'spondylolisthesis', levels: [segment], options, answer, question: `A lateral radiograph shows the upper vertebra of ${segment} displaced anteriorly by ${slip}% of the lower vertebra's superior endplate width. What is the Meyerding grade?` };
  },
  (prng) => {
    const width = prng.int(38, 50);
    const slip = slipAwayFromBoundaries(prng);
    const mm = Math.round((slip / 100) * width * 10) / 10;
    const grade = meyerdingGrade((mm / width) * 100);
    const { options, answer } = shuffleOptions(prng, `Grade ${ROMAN[grade]}`, ['Grade I', 'Grade II', 'Grade III', 'Grade IV', 'Grade V']);
    return { language: 'en', skill: 'grading', region: 'lumbar', pathology: 'spondylolisthesis', levels: ['L5-S1'], options, answer, question: `L5 is displaced ${mm} mm anteriorly on S1, whose superior endplate measures ${width} mm. What is the Meyerding grade?` };
  },
  (prng) => {
    const slip = slipAwayFromBoundaries(prng);
    const { options, answer } = shuffleOptions(prng, `${ROMAN[meyerdingGrade(slip)]}度`, ['I度', 'II度', 'III度', 'IV度', 'V度']);
    return { language: 'zh', skill: 'grading', region: 'lumbar', pathology: 'spondylolisthesis', levels: ['L4-L5'], options, answer, question: `腰4椎体相对腰5椎体向前滑移${slip}%（以腰5上终板宽度计）。按Meyerding分级属于几度？` };
  },
  (prng) => {
    const posterior = prng.int(24, 32);
    let loss: number;
    do loss = prng.int(8, 65);
    while ([20, 25, 40].some((edge) => Math.abs(loss - edge) < 2));
    const anterior = Math.round(posterior * (1 - loss / 100) * 10) / 10;
    const grade = genantGrade(((posterior - anterior) / posterior) * 100);
    const names = ['Grade 0 (no fracture)', 'Grade 1 (mild)', 'Grade 2 (moderate)', 'Grade 3 (severe)'];
    const vertebra = prng.pick(['T11', 'T12', 'L1', 'L2']);
    const { options, answer } = shuffleOptions(prng, names[grade], names);
    return { language: 'en', skill: 'grading', region: regionOf(vertebra), pathology: 'compression_fracture', levels: [vertebra], options, answer, question: `The ${vertebra} vertebral body measures ${anterior} mm anteriorly and ${posterior} mm posteriorly. What is its Genant semi-quantitative grade?` };
  },
  (prng) => {
    let loss: number;
    do loss = prng.int(8, 65);
    while ([20, 25, 40].some((edge) => Math.abs(loss - edge) < 2));
    const names = ['0级（无骨折）', '1级（轻度）', '2级（中度）', '3级（重度）'];
    const { options, answer } = shuffleOptions(prng, names[genantGrade(loss)], names);
    return { language: 'zh', skill: 'grading', region: 'thoracic', pathology: 'compression_fracture', levels: ['T12'], options, answer, question: `胸12椎体前缘高度丢失${loss}%。按Genant半定量分级属于哪一级？` };
  },
  (prng) => {
    let angle: number;
    do angle = prng.int(5, 80);
    while ([10, 25, 45].some((edge) => Math.abs(angle - edge) < 2));
    const names = { none: 'Not scoliosis (under 10°)', mild: 'Mild scoliosis', moderate: 'Moderate scoliosis', severe: 'Severe scoliosis' };
    const correct = angle < 10 ? names.none : names[cobbCategory(angle)];
    const { options, answer } = shuffleOptions(prng, correct, Object.values(names));
    return { language: 'en', skill: 'grading', region: 'thoracic', pathology: 'scoliosis', levels: [], options, answer, question: `A standing AP radiograph shows a thoracic curve with a Cobb angle of ${angle}°. How is it classified (10–25° mild, 25–45° moderate, over 45° severe)?` };
  },
  (prng) => {
    const segment = prng.pick(Object.keys(LUMBAR_ROOT));
    const { options, answer } = shuffleOptions(prng, LUMBAR_ROOT[segment], ROOTS.filter((r) => r.startsWith('L') || r.startsWith('S')));
    return { language: 'en', skill: 'clinical_knowledge', region: 'lumbar', pathology: 'disc_herniation', levels: [segment], options, answer, question: `A posterolateral (paracentral) disc herniation at ${segment} most typically compresses which nerve root?` };
  },
  (prng) => {
    const segment = prng.pick(Object.keys(LUMBAR_ROOT));
    const chinese = `腰${segment.replace('L', '').replace('-L', '/').replace('-S1', '/骶1')}`;
    const { options, answer } = shuffleOptions(prng, LUMBAR_ROOT[segment], ROOTS.filter((r) => r.startsWith('L') || r.startsWith('S')));
    return { language: 'zh', skill: 'clinical_knowledge', region: 'lumbar', pathology: 'disc_herniation', levels: [segment], options, answer, question: `${chinese}旁中央型椎间盘突出最常压迫哪一神经根？` };
  },
  (prng) => {
    const segment = prng.pick(Object.keys(CERVICAL_ROOT));
    const { options, answer } = shuffleOptions(prng, CERVICAL_ROOT[segment], ROOTS.filter((r) => r.startsWith('C')));
    return { language: 'en', skill: 'clinical_knowledge', region: 'cervical', pathology: 'disc_herniation', levels: [segment], options, answer, question: `A foraminal disc herniation at ${segment} most typically affects which nerve root?` };
  },
  (prng) => {
    const start = prng.int(1, USUAL_SPINE.length - 6);
    const steps = prng.int(1, 4);
    const from = USUAL_SPINE[start];
    const correct = USUAL_SPINE[start + steps];
    const { options, answer } = shuffleOptions(prng, correct, neighbours(USUAL_SPINE, correct));
    return { language: 'en', skill: 'level_identification', region: regionOf(correct), pathology: 'normal', levels: [from, correct], options, answer, question: `In a spine with the usual segmentation (7 cervical, 12 thoracic, 5 lumbar vertebrae), which vertebra lies ${steps} level${steps > 1 ? 's' : ''} below ${from}?` };
  },
  (prng) => {
    const start = prng.int(6, USUAL_SPINE.length - 2);
    const upper = USUAL_SPINE[start];
    const segment = `${upper}-${USUAL_SPINE[start + 1]}`;
    const wrong = [`${USUAL_SPINE[start - 1]}-${upper}`, `${USUAL_SPINE[start + 1]}-${USUAL_SPINE[start + 2] ?? 'Co'}`, `${USUAL_SPINE[start - 2]}-${USUAL_SPINE[start - 1]}`];
    const { options, answer } = shuffleOptions(prng, segment, wrong.filter((w) => !w.endsWith('Co')));
    return { language: 'en', skill: 'level_identification', region: regionOf(upper), pathology: 'normal', levels: [segment], options, answer, question: `Which disc level lies directly below the ${upper} vertebral body?` };
  },
  (prng) => {
    const startIndex = prng.int(USUAL_SPINE.indexOf('L1'), USUAL_SPINE.indexOf('L3'));
    const span = prng.int(2, 3);
    const labels = USUAL_SPINE.slice(startIndex, startIndex + span + 1);
    const segments = labels.slice(0, -1).map((l, i) => `${l}-${labels[i + 1]}`);
    const correct = segments.join(' and ');
    const wrong = [labels.join(', ') + ' vertebrae only', `${labels[0]}-${labels[labels.length - 1]} as one segment`, segments.slice(1).join(' and ') || segments[0], [...segments, `${labels[labels.length - 1]}-${USUAL_SPINE[startIndex + span + 1]}`].join(' and ')];
    const { options, answer } = shuffleOptions(prng, correct, wrong);
    return { language: 'en', skill: 'surgical_planning', region: 'lumbar', pathology: 'canal_stenosis', levels: segments, options, answer, question: `An operative note plans a "${labels[0]}-${labels[labels.length - 1]} decompression and fusion". Which motion segments does that include?` };
  },
  (prng) => {
    const fact = prng.pick(FACTS);
    const { options, answer } = shuffleOptions(prng, fact.correct, fact.wrong);
    return { language: fact.language ?? 'en', skill: fact.skill, region: fact.region, pathology: fact.pathology, levels: fact.levels, options, answer, question: fact.question };
  },
];

interface Fact {
  question: string;
  correct: string;
  wrong: string[];
  skill: McqDraft['skill'];
  region: SpineRegion;
  pathology: string;
  levels: string[];
  language?: 'en' | 'zh';
}

const FACTS: Fact[] = [
  { question: 'How many vertebrae make up the usual cervical spine?', correct: '7', wrong: ['5', '6', '8', '12'], skill: 'clinical_knowledge', region: 'cervical', pathology: 'normal', levels: [] },
  { question: 'Which vertebra carries the dens (odontoid process)?', correct: 'C2', wrong: ['C1', 'C3', 'C7'], skill: 'level_identification', region: 'cervical', pathology: 'normal', levels: ['C2'] },
  { question: 'In adults the conus medullaris usually ends at which level?', correct: 'L1-L2', wrong: ['T10-T11', 'L3-L4', 'L5-S1'], skill: 'level_identification', region: 'lumbar', pathology: 'normal', levels: ['L1-L2'] },
  { question: 'Which imaging modality best shows a soft disc herniation compressing a nerve root?', correct: 'MRI (T2-weighted)', wrong: ['Plain radiograph', 'CT without contrast', 'Bone scintigraphy'], skill: 'pathology_assessment', region: 'lumbar', pathology: 'disc_herniation', levels: [] },
  { question: 'Which imaging modality best shows cortical bone and fracture lines?', correct: 'CT', wrong: ['MRI T2-weighted', 'Ultrasound', 'Plain radiograph only'], skill: 'pathology_assessment', region: 'thoracic', pathology: 'compression_fracture', levels: [] },
  { question: 'From what Cobb angle is a lateral curvature called scoliosis?', correct: '10°', wrong: ['5°', '20°', '30°'], skill: 'clinical_knowledge', region: 'thoracic', pathology: 'scoliosis', levels: [] },
  { question: 'Which radiographic view is used to measure the Cobb angle?', correct: 'Standing anteroposterior (or posteroanterior) view', wrong: ['Lateral view', 'Oblique view', 'Flexion view'], skill: 'pathology_assessment', region: 'thoracic', pathology: 'scoliosis', levels: [] },
  { question: 'A wrong-level spine operation most often misses the intended level by how much?', correct: 'One level', wrong: ['Two levels', 'Three levels', 'A whole region'], skill: 'surgical_planning', region: 'lumbar', pathology: 'normal', levels: [] },
  { question: 'Which segment most often shows isthmic spondylolisthesis?', correct: 'L5-S1', wrong: ['L2-L3', 'L3-L4', 'T12-L1'], skill: 'clinical_knowledge', region: 'lumbar', pathology: 'spondylolisthesis', levels: ['L5-S1'] },
  { question: 'Which segment most often shows degenerative spondylolisthesis?', correct: 'L4-L5', wrong: ['L1-L2', 'L5-S1', 'C2-C3'], skill: 'clinical_knowledge', region: 'lumbar', pathology: 'spondylolisthesis', levels: ['L4-L5'] },
  { question: '腰椎间盘突出症最常见的节段是哪一个？', correct: 'L4-L5 和 L5-S1', wrong: ['L1-L2', 'L2-L3', 'T12-L1'], skill: 'clinical_knowledge', region: 'lumbar', pathology: 'disc_herniation', levels: ['L4-L5', 'L5-S1'], language: 'zh' },
  { question: '骨质疏松性椎体压缩骨折最好发的部位是？', correct: '胸腰段（T11-L2）', wrong: ['上颈椎', '中段胸椎（T4-T6）', '骶骨'], skill: 'clinical_knowledge', region: 'thoracic', pathology: 'compression_fracture', levels: ['T11', 'T12', 'L1', 'L2'], language: 'zh' },
  { question: 'What is the treatment of choice for a painful osteoporotic compression fracture failing conservative care?', correct: 'Vertebral augmentation (kyphoplasty or vertebroplasty)', wrong: ['Long-segment posterior fusion', 'Microdiscectomy', 'Laminoplasty'], skill: 'surgical_planning', region: 'thoracic', pathology: 'compression_fracture', levels: [] },
  { question: 'For an adolescent with a 60° thoracic curve, which treatment is usually indicated?', correct: 'Posterior spinal fusion', wrong: ['Observation', 'Bracing only', 'Vertebral augmentation'], skill: 'surgical_planning', region: 'thoracic', pathology: 'scoliosis', levels: [] },
  { question: 'Which landmark is most useful to count lumbar levels on a lateral lumbar radiograph?', correct: 'The sacrum (count upwards from S1)', wrong: ['The iliac crest only', 'The kidneys', 'The diaphragm'], skill: 'level_identification', region: 'lumbar', pathology: 'normal', levels: ['S1'] },
];

/** Draws text-only MCQs until `count` distinct questions exist (a seeded, reproducible sequence). */
export function knowledgeQuestions(prng: Prng, count: number, opts: { allowRepeats?: boolean } = {}): McqDraft[] {
  const drafts: McqDraft[] = [];
  const seen = new Set<string>();
  let attempts = 0;
  while (drafts.length < count) {
    attempts++;
    const draft = prng.pick(TEMPLATES)(prng);
    const allowRepeat = opts.allowRepeats || attempts > count * 50;
    if (seen.has(draft.question) && !allowRepeat) continue;
    seen.add(draft.question);
    drafts.push({
      ...draft,
      task: 'mcq',
      inputKind: 'text',
      images: [],
      provenance: { source: 'SpineBench-Synth', id: `knowledge-template`, synthetic: true },
    } as McqDraft);
  }
  return drafts;
}
