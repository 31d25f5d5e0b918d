/** What a synthetic case shows: one pathology at known levels (or a normal spine). */

export type SynthField = 'cervical' | 'lumbar' | 'spine_ap';

export type Finding =
  | { pathology: 'normal' }
  | { pathology: 'spondylolisthesis'; segment: string; slipPercent: number; meyerdingGrade: 1 | 2 | 3 | 4 }
  | { pathology: 'compression_fracture'; vertebra: string; heightLossPercent: number; genantGrade: 1 | 2 | 3 }
  | { pathology: 'disc_herniation'; segment: string; canalCompromisePercent: number }
  | { pathology: 'canal_stenosis'; segment: string; canalCompromisePercent: number }
  | { pathology: 'scoliosis'; upperEnd: string; lowerEnd: string; apex: string; cobbAngle: number; convexity: 'right' | 'left' };

export type SynthPathology = Finding['pathology'];

/** Meyerding grade from the slip, as a percentage of the lower vertebra's superior endplate. */
export function meyerdingGrade(slipPercent: number): 1 | 2 | 3 | 4 | 5 {
  if (slipPercent <= 25) return 1;
  if (slipPercent <= 50) return 2;
  if (slipPercent <= 75) return 3;
  if (slipPercent <= 100) return 4;
  return 5;
}

/** Genant semi-quantitative grade from the height loss (below 20 % is grade 0, not a fracture). */
export function genantGrade(heightLossPercent: number): 0 | 1 | 2 | 3 {
  if (heightLossPercent < 20) return 0;
  if (heightLossPercent <= 25) return 1;
  if (heightLossPercent <= 40) return 2;
  return 3;
}

export type CobbCategory = 'mild' | 'moderate' | 'severe';

/** Scoliosis severity by Cobb angle: 10–25° mild, 25–45° moderate, over 45° severe. */
export function cobbCategory(cobbAngle: number): CobbCategory {
  if (cobbAngle < 25) return 'mild';
  if (cobbAngle <= 45) return 'moderate';
  return 'severe';
}

/** The canonical levels a finding names (segment, vertebra, or the scoliosis end vertebrae). */
export function findingLevels(finding: Finding): string[] {
  switch (finding.pathology) {
    case 'normal':
      return [];
    case 'compression_fracture':
      return [finding.vertebra];
    case 'scoliosis':
      return [finding.upperEnd, finding.lowerEnd];
    default:
      return [finding.segment];
  }
}
