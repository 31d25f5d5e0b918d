/** Public surface of the SpineBench scoring engine. Everything here is pure; the judge client lives in ../judge. */
export { SCORER_VERSION } from './version';
export { extractChoice, type ChoiceExtraction, type ChoiceOptions } from './choice';
export { scoreLevelSets, scoreLevelAnswer, summarizeLevelScores, type LevelScore, type LevelSummary, type LevelErrorClass } from './level-score';
export { checkReport, DETERMINISTIC_WEIGHTS, type ReportCheck, type FindingStatus } from './report-check';
export { detectReportSections, type ReportSectionName } from './report-sections';
export {
  REPORT_DIMENSIONS,
  RUBRIC_SECTIONS,
  RUBRIC_SECTION_NAMES,
  scoreRubric,
  type ReportDimension,
  type RubricSection,
  type RubricScore,
} from './report-rubric';
export {
  PARTS,
  scoreItem,
  withJudge,
  partOf,
  facetsOf,
  type Part,
  type ItemFacets,
  type ItemScore,
  type McqItemScore,
  type ReportItemScore,
  type ScoreItemOptions,
} from './item-score';
export {
  aggregateRun,
  combineParts,
  itemValue,
  BREAKDOWN_FACETS,
  type RunAggregate,
  type ScoreWithInterval,
  type BreakdownFacet,
  type PartScore,
} from './aggregate';
export { rankModels, type RankableScore, type RankInput, type RankedModel } from './ranking';
export { rescoreStoredItem, type RescoredItem } from './rescore';
export { bootstrapMeanInterval, seededRandom, DEFAULT_BOOTSTRAP, type BootstrapOptions, type Interval } from './bootstrap';
export { METRICS, listMetrics, getMetric, AGGREGATION_VERSION, type MetricDefinition } from './registry';
