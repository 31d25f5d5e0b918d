import type { ImageRef, Modality } from '../item-schema';
import { regionOfLevel, type SpineRegion } from '../level-vocabulary';
import { type Finding, type SynthField, type SynthPathology } from './findings';
import { buildGeometry, FIELD_LABELS, fieldSegments, type SpineGeometry } from './geometry';
import type { Prng } from './prng';
import { renderSpineImage } from './render';

/** A synthetic patient: one finding in one field of view, seen in one or two images. */
export interface SynthCase {
  key: string;
  field: SynthField;
  finding: Finding;
  region: SpineRegion;
  age: number;
  sex: 'male' | 'female';
  views: { modality: Modality; view: string }[];
}

export interface RenderedImage extends ImageRef {
  bytes: Buffer;
}

const PATHOLOGY_WEIGHTS: [SynthPathology, number][] = [
  ['spondylolisthesis', 0.2],
  ['compression_fracture', 0.2],
  ['disc_herniation', 0.2],
  ['canal_stenosis', 0.14],
  ['scoliosis', 0.13],
  ['normal', 0.13],
];

function weighted<T>(prng: Prng, options: [T, number][]): T {
  const total = options.reduce((sum, [, w]) => sum + w, 0);
  let r = prng.next() * total;
  for (const [value, w] of options) {
    r -= w;
    if (r < 0) return value;
  }
  return options[options.length - 1][0];
}

/** A random value within a band, rounded to one decimal, kept off the band's edges. */
function within(prng: Prng, min: number, max: number): number {
  return Math.round(prng.range(min, max) * 10) / 10;
}

export function randomFinding(prng: Prng, pathology: SynthPathology, field: SynthField): Finding {
  switch (pathology) {
    case 'spondylolisthesis': {
      const meyerdingGrade = weighted<1 | 2 | 3 | 4>(prng, [[1, 0.45], [2, 0.35], [3, 0.15], [4, 0.05]]);
      const segment = field === 'cervical' ? prng.pick(['C3-C4', 'C4-C5', 'C5-C6']) : prng.pick(['L3-L4', 'L4-L5', 'L4-L5', 'L5-S1', 'L5-S1']);
      // Grade I starts at 10 %: smaller slips are within measurement noise on a drawn image.
      return { pathology, segment, meyerdingGrade, slipPercent: within(prng, Math.max(10, (meyerdingGrade - 1) * 25 + 5), meyerdingGrade * 25 - 5) };
    }
    case 'compression_fracture': {
      const genantGrade = prng.pick([1, 2, 3] as const);
      const band = { 1: [21, 24], 2: [28, 37], 3: [45, 60] }[genantGrade];
      const vertebra = field === 'cervical' ? prng.pick(['C5', 'C6', 'C7']) : prng.pick(['T11', 'T12', 'T12', 'L1', 'L1', 'L2', 'L3']);
      return { pathology, vertebra, genantGrade, heightLossPercent: within(prng, band[0], band[1]) };
    }
    case 'disc_herniation': {
      const segment = field === 'cervical' ? prng.pick(['C4-C5', 'C5-C6', 'C6-C7']) : prng.pick(['L3-L4', 'L4-L5', 'L5-S1']);
      return { pathology, segment, canalCompromisePercent: within(prng, 45, 70) };
    }
    case 'canal_stenosis': {
      const segment = field === 'cervical' ? prng.pick(['C3-C4', 'C4-C5', 'C5-C6', 'C6-C7']) : prng.pick(['L2-L3', 'L3-L4', 'L4-L5']);
      return { pathology, segment, canalCompromisePercent: within(prng, 50, 75) };
    }
    case 'scoliosis': {
      const labels = FIELD_LABELS.spine_ap;
      const upper = prng.int(labels.indexOf('T4'), labels.indexOf('T8'));
      const span = prng.pick([6, 8]);
      const cobbAngle = weighted(prng, [[within(prng, 12, 22), 0.35], [within(prng, 28, 42), 0.4], [within(prng, 50, 72), 0.25]]);
      return {
        pathology,
        upperEnd: labels[upper],
        lowerEnd: labels[upper + span],
        apex: labels[upper + span / 2],
        cobbAngle,
        convexity: prng.pick(['right', 'left'] as const),
      };
    }
    case 'normal':
      return { pathology };
  }
}

function viewsFor(finding: Finding, field: SynthField, prng: Prng): SynthCase['views'] {
  const xrayLateral = { modality: 'xray' as const, view: 'lateral' };
  const ctSagittal = { modality: 'ct' as const, view: 'sagittal' };
  const mriT2 = { modality: 'mri' as const, view: 'sagittal_t2' };
  switch (finding.pathology) {
    case 'scoliosis':
      return [{ modality: 'xray', view: 'ap' }];
    case 'spondylolisthesis':
      return prng.chance(0.4) ? [xrayLateral, mriT2] : [prng.pick([xrayLateral, xrayLateral, ctSagittal])];
    case 'compression_fracture':
      return prng.chance(0.3) ? [xrayLateral, ctSagittal] : [prng.pick([xrayLateral, ctSagittal])];
    case 'disc_herniation':
    case 'canal_stenosis':
      return prng.chance(0.3) ? [mriT2, ctSagittal] : [mriT2];
    case 'normal':
      return field === 'spine_ap' ? [{ modality: 'xray', view: 'ap' }] : [prng.pick([xrayLateral, ctSagittal, mriT2])];
  }
}

export function caseRegion(field: SynthField, finding: Finding): SpineRegion {
  switch (finding.pathology) {
    case 'normal':
      return field === 'cervical' ? 'cervical' : field === 'spine_ap' ? 'thoracic' : 'lumbar';
    case 'compression_fracture':
      return regionOfLevel(finding.vertebra);
    case 'scoliosis':
      return regionOfLevel(finding.apex);
    default:
      return regionOfLevel(finding.segment);
  }
}

export function randomCase(prng: Prng, key: string, pathology: SynthPathology = weighted(prng, PATHOLOGY_WEIGHTS)): SynthCase {
  const field: SynthField =
    pathology === 'scoliosis'
      ? 'spine_ap'
      : pathology === 'compression_fracture'
        ? 'lumbar'
        : pathology === 'normal'
          ? prng.pick(['cervical', 'lumbar', 'lumbar', 'spine_ap'] as const)
          : prng.chance(0.3)
            ? 'cervical'
            : 'lumbar';
  const finding = randomFinding(prng, pathology, field);
  return {
    key,
    field,
    finding,
    region: caseRegion(field, finding),
    age: pathology === 'scoliosis' ? prng.int(11, 17) : prng.int(28, 84),
    sex: prng.pick(['male', 'female'] as const),
    views: viewsFor(finding, field, prng),
  };
}

export function caseGeometry(synthCase: SynthCase): SpineGeometry {
  return buildGeometry(synthCase.field, synthCase.finding);
}

/** Renders the case's images (deterministic for the PRNG state). */
export function renderCase(synthCase: SynthCase, prng: Prng): RenderedImage[] {
  const geometry = caseGeometry(synthCase);
  return synthCase.views.map(({ modality, view }) => ({
    file: `images/${synthCase.key}-${modality}-${view}.png`,
    modality,
    view,
    bytes: renderSpineImage(geometry, modality, prng),
  }));
}

/** The levels a level-identification question may offer for this case's field. */
export function fieldLevels(synthCase: SynthCase, kind: 'segment' | 'vertebra'): string[] {
  if (kind === 'vertebra' || synthCase.field === 'spine_ap') return [...FIELD_LABELS[synthCase.field]];
  return fieldSegments(synthCase.field);
}
