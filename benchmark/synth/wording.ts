import type { Finding, SynthPathology } from './findings';

/** Names of findings in English and Chinese. */
export const PATHOLOGY_NAMES: Record<SynthPathology, { en: string; zh: string }> = {
  spondylolisthesis: { en: 'Spondylolisthesis', zh: '椎体滑脱' },
  compression_fracture: { en: 'Vertebral compression fracture', zh: '椎体压缩性骨折' },
  disc_herniation: { en: 'Intervertebral disc herniation', zh: '椎间盘突出' },
  canal_stenosis: { en: 'Spinal canal stenosis', zh: '椎管狭窄' },
  scoliosis: { en: 'Scoliosis', zh: '脊柱侧凸' },
  normal: { en: 'No significant abnormality', zh: '未见明显异常' },
};

export const MODALITY_WORDS: Record<string, { en: string; zh: string }> = {
  'xray:lateral': { en: 'lateral radiograph', zh: '侧位X线片' },
  'xray:ap': { en: 'anteroposterior radiograph', zh: '正位X线片' },
  'ct:sagittal': { en: 'sagittal CT reconstruction', zh: 'CT矢状位重建' },
  'mri:sagittal_t2': { en: 'sagittal T2-weighted MRI', zh: 'MRI矢状位T2加权像' },
};

export function imagingWords(views: { modality: string; view: string }[], language: 'en' | 'zh'): string {
  const words = views.map((v) => MODALITY_WORDS[`${v.modality}:${v.view}`]?.[language] ?? `${v.modality} ${v.view}`);
  return language === 'zh' ? words.join('及') : words.join(' and ');
}

/** A one-line description of a finding with its measurement, used in explanations and reports. */
export function describeFinding(finding: Finding): string {
  switch (finding.pathology) {
    case 'normal':
      return 'normal alignment, preserved vertebral body heights and disc spaces, patent canal';
    case 'spondylolisthesis':
      return `anterolisthesis at ${finding.segment} with a ${finding.slipPercent}% slip (Meyerding grade ${['', 'I', 'II', 'III', 'IV'][finding.meyerdingGrade]})`;
    case 'compression_fracture':
      return `anterior wedge compression fracture of ${finding.vertebra} with ${finding.heightLossPercent}% anterior height loss (Genant grade ${finding.genantGrade})`;
    case 'disc_herniation':
      return `posterior disc herniation at ${finding.segment} compromising about ${Math.round(finding.canalCompromisePercent)}% of the canal`;
    case 'canal_stenosis':
      return `central canal stenosis at ${finding.segment} with about ${Math.round(finding.canalCompromisePercent)}% narrowing`;
    case 'scoliosis':
      return `${finding.convexity}-convex scoliosis from ${finding.upperEnd} to ${finding.lowerEnd}, apex ${finding.apex}, Cobb angle ${Math.round(finding.cobbAngle)}°`;
  }
}
