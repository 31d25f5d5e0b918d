/** SpineBench-Synth: the deterministic synthetic demo release. */
export { generateSynthRelease, compositionFor, DEFAULT_COMPOSITION, SCALE_IMAGE_POOL, SYNTH_NAME, type SynthOptions, type SplitComposition } from './generate';
export { buildGeometry, buildSagittalGeometry, buildApGeometry, scoliosisTilts, FIELD_LABELS, fieldSegments, type SpineGeometry, type SagittalGeometry, type ApGeometry } from './geometry';
export { cobbCategory, genantGrade, meyerdingGrade, findingLevels, type Finding, type SynthPathology, type SynthField } from './findings';
export { randomCase, renderCase, caseGeometry, type SynthCase } from './cases';
export { renderSpineImage, BONE_THRESHOLD_XRAY, CANAL_THRESHOLD_MRI } from './render';
export { Prng } from './prng';
