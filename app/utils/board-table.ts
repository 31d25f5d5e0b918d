import type { LeaderboardEntry } from '../../db/queries/leaderboard';
import type { FacetSlice, LevelRates, ModalityColumn } from '../../evaluator/scoring/board-views';

/**
 * The board's views as one pure table builder: the page, its CSV and its JSON all come from `buildBoardTable`,
 * so every export carries exactly the page's numbers (docs/decisions/260-board-views.md).
 */

export const BOARD_VIEWS = ['overview', 'levels', 'modality', 'reports'] as const;
export type BoardView = (typeof BOARD_VIEWS)[number];

export const VIEW_TITLES: Record<BoardView, string> = {
  overview: 'Overview',
  levels: 'Level identification',
  modality: 'Modality',
  reports: 'Report quality',
};

export interface Scored {
  score: number;
  n: number;
  ci: [number, number] | null;
}

export interface BoardColumn {
  key: string;
  label: string;
  /** Longer description for the header's title and the export's column notes. */
  description: string;
  /** `rating`: a 1–5 judge rating; `percent`: 0–100. */
  scale: 'percent' | 'rating';
}

export interface BoardTableRow {
  runId: number;
  modelId: number;
  modelName: string;
  teamName: string;
  isBaseline: boolean;
  runBy: LeaderboardEntry['runBy'];
  rank: number | null;
  rankLow: number | null;
  rankHigh: number | null;
  /** Scored by an earlier judge or scorer: not ranked until re-scored (docs/decisions/131). */
  stale: boolean;
  nItems: number;
  evaluatedAt: string;
  /** From the model card (null when it does not say). */
  parametersB: number | null;
  weights: 'open' | 'closed' | null;
  cells: Record<string, Scored | null>;
  /** Maintainers' verified badge and public flag reason. */
  moderation: LeaderboardEntry['moderation'];
}

/** One facet value a board can be restricted to; `null` = all items. */
export interface BoardFilter {
  facet: 'region' | 'pathology' | 'language';
  value: string;
}

export interface BoardQuery {
  view: BoardView;
  filter: BoardFilter | null;
  hideBaselines: boolean;
  /** Only models whose card says open weights. */
  openWeightsOnly: boolean;
  /** Only models whose card gives at most this many billion parameters (null: any size). */
  maxParametersB: number | null;
  /** A column key, or rank/model/team/size/items/evaluated. */
  sort: string;
  dir: 'asc' | 'desc';
}

export interface BoardTable {
  view: BoardView;
  columns: BoardColumn[];
  rows: BoardTableRow[];
  /** Why some columns are empty under this filter, if they are. */
  filterNote: string | null;
}

const pct = (key: string, label: string, description: string): BoardColumn => ({ key, label, description, scale: 'percent' });
const rating = (key: string, label: string, description: string): BoardColumn => ({ key, label, description, scale: 'rating' });

export const REGION_LABELS: Record<string, string> = { cervical: 'Cervical', thoracic: 'Thoracic', lumbar: 'Lumbar', sacral: 'Sacral' };
export const MODALITY_LABELS: Record<ModalityColumn, string> = { xray: 'X-ray', ct: 'CT', mri: 'MRI', multi: 'Multi-modal', text_only: 'Text only' };
export const SKILL_LABELS: Record<string, string> = {
  level_identification: 'Level identification',
  pathology_assessment: 'Pathology assessment',
  surgical_planning: 'Surgical planning',
};
export const DIMENSION_LABELS: Record<string, string> = {
  imaging_report: 'Imaging report',
  diagnosis: 'Diagnosis',
  patient_guidance: 'Patient guidance',
  evidence_based_treatment: 'Evidence-based treatment',
  technical_feasibility: 'Technical feasibility',
  risk_prognosis: 'Risk / prognosis',
  coverage: 'Coverage',
  relevance: 'Relevance',
  granularity: 'Granularity',
  interpretability: 'Interpretability',
};
export const SECTION_LABELS: Record<string, string> = {
  imaging_report: 'Imaging report',
  diagnosis: 'Diagnosis',
  treatment: 'Treatment',
  risk_prognosis: 'Risk / prognosis',
  quality: 'Quality',
};
const REGIONS = Object.keys(REGION_LABELS);

function columnsFor(view: BoardView, filter: BoardFilter | null): BoardColumn[] {
  switch (view) {
    case 'overview':
      return [
        pct('overall', 'Overall', 'Item-count-weighted mean of text MCQ, image MCQ and report scores'),
        pct('text_mcq', 'Text MCQ', 'Accuracy on text-only multiple-choice questions'),
        pct('image_mcq', 'Image MCQ', 'Accuracy on image+text multiple-choice questions'),
        pct('report', 'Report', 'Report score (judge, or the deterministic check where no judge is configured)'),
        pct('level_exact', 'Exact level', 'Share of level questions answered with exactly the right level(s)'),
        ...Object.entries(SKILL_LABELS).map(([k, label]) => pct(`skill_${k}`, label, `Score on ${label.toLowerCase()} items`)),
      ];
    case 'levels': {
      const scope = filter ? '' : ' (all regions)';
      const cols = [
        pct('exact', `Exact${scope}`, 'Exact-level accuracy: every named level right and none extra'),
        pct('f1', 'F1', 'Mean per-item F1 of named levels against true levels'),
        pct('off_by_one', 'Off by one', 'Answers one level away (the classic wrong-level error)'),
        pct('worse', 'Worse', 'Answers more than one level away'),
      ];
      return filter ? cols : [...cols, ...REGIONS.map((r) => pct(`exact_${r}`, `Exact · ${REGION_LABELS[r]}`, `Exact-level accuracy on ${r} items`))];
    }
    case 'modality':
      return Object.entries(MODALITY_LABELS).map(([k, label]) => pct(`modality_${k}`, label, k === 'multi' ? 'Items showing two or more modalities' : `Score on ${label} items`));
    case 'reports':
      return [
        pct('report', 'Report', 'Report score: 20 × mean of the five section ratings (judge), or the deterministic check'),
        pct('report_check', 'Report check', 'Deterministic check: key findings at the right level, no invented levels, the six sections'),
        ...Object.entries(SECTION_LABELS).map(([k, label]) => rating(`section_${k}`, `§ ${label}`, `Section "${label}": mean of its dimension ratings (1–5)`)),
        ...Object.entries(DIMENSION_LABELS).map(([k, label]) => rating(`dim_${k}`, label, `Judge rating of "${label}" (1–5)`)),
      ];
  }
}

function levelCells(rates: LevelRates | null | undefined): Record<string, Scored | null> {
  return { exact: rates?.exact ?? null, f1: rates?.f1 ?? null, off_by_one: rates?.offByOne ?? null, worse: rates?.worse ?? null };
}

function sliceOf(entry: LeaderboardEntry, filter: BoardFilter | null): FacetSlice | null {
  if (!filter || !entry.views) return null;
  return entry.views.filters[filter.facet]?.[filter.value] ?? null;
}

/** The cells of one board row in one view; a filtered view reads the precomputed slice for that facet value. */
function cellsFor(view: BoardView, entry: LeaderboardEntry, filter: BoardFilter | null): Record<string, Scored | null> {
  const v = entry.views;
  const slice = sliceOf(entry, filter);
  switch (view) {
    case 'overview': {
      const skills = filter ? slice?.skills : v?.skills;
      return {
        overall: filter ? (slice?.overall ?? null) : { score: entry.score, n: entry.nItems, ci: entry.ci },
        text_mcq: (filter ? slice?.parts.text_mcq : entry.parts.text_mcq) ?? null,
        image_mcq: (filter ? slice?.parts.image_mcq : entry.parts.image_mcq) ?? null,
        report: (filter ? slice?.parts.report : entry.parts.report) ?? null,
        level_exact: (filter ? slice?.levels?.exact : v?.levels.overall?.exact) ?? null,
        ...Object.fromEntries(Object.keys(SKILL_LABELS).map((k) => [`skill_${k}`, skills?.[k] ?? null])),
      };
    }
    case 'levels':
      if (filter) return levelCells(slice?.levels);
      return {
        ...levelCells(v?.levels.overall),
        ...Object.fromEntries(REGIONS.map((r) => [`exact_${r}`, v?.levels.byRegion[r]?.exact ?? null])),
      };
    case 'modality': {
      const modality = filter ? slice?.modality : v?.modality;
      return Object.fromEntries(Object.keys(MODALITY_LABELS).map((k) => [`modality_${k}`, modality?.[k as ModalityColumn] ?? null]));
    }
    case 'reports':
      return {
        report: entry.parts.report,
        report_check: entry.reportDeterministic,
        ...Object.fromEntries(Object.keys(SECTION_LABELS).map((k) => [`section_${k}`, (v?.report?.sections as Record<string, Scored | null> | undefined)?.[k] ?? null])),
        ...Object.fromEntries(Object.keys(DIMENSION_LABELS).map((k) => [`dim_${k}`, (v?.report?.dimensions as Record<string, Scored | null> | undefined)?.[k] ?? null])),
      };
  }
}

const FIXED_SORTS = ['rank', 'model', 'team', 'size', 'items', 'evaluated'] as const;

/** Builds a view of the board from its stored rows. Pure. Unknown sort keys fall back to rank. */
export function buildBoardTable(entries: readonly LeaderboardEntry[], query: BoardQuery): BoardTable {
  // Report ratings are per run, not per facet value: the reports view ignores a filter (and says so).
  const filter = query.view === 'reports' ? null : query.filter;
  const columns = columnsFor(query.view, filter);
  const rows: BoardTableRow[] = entries
    .filter((e) => !(query.hideBaselines && e.isBaseline))
    .filter((e) => !query.openWeightsOnly || e.weights === 'open')
    .filter((e) => query.maxParametersB === null || (e.parametersB !== null && e.parametersB <= query.maxParametersB))
    .map((e) => {
      const withRanks = e as LeaderboardEntry & { rankLow?: number | null; rankHigh?: number | null };
      return {
        runId: e.runId,
        modelId: e.modelId,
        modelName: e.modelName,
        teamName: e.teamName,
        isBaseline: e.isBaseline,
        runBy: e.runBy,
        rank: e.rank,
        rankLow: withRanks.rankLow ?? null,
        rankHigh: withRanks.rankHigh ?? null,
        stale: e.stale,
        nItems: e.nItems,
        evaluatedAt: e.evaluatedAt,
        parametersB: e.parametersB ?? null,
        weights: e.weights ?? null,
        cells: cellsFor(query.view, e, filter),
        moderation: e.moderation,
      };
    });
  const sort = columns.some((c) => c.key === query.sort) || (FIXED_SORTS as readonly string[]).includes(query.sort) ? query.sort : 'rank';
  const sign = query.dir === 'asc' ? 1 : -1;
  const keyOf = (r: BoardTableRow): number | string | null => {
    switch (sort) {
      case 'rank':
        return r.rank;
      case 'model':
        return r.modelName.toLowerCase();
      case 'team':
        return r.teamName.toLowerCase();
      case 'size':
        return r.parametersB;
      case 'items':
        return r.nItems;
      case 'evaluated':
        return r.evaluatedAt;
      default:
        return r.cells[sort]?.score ?? null;
    }
  };
  // Stale or unranked rows (rank null) come after the ranked ones.
  const rankOrder = (a: BoardTableRow, b: BoardTableRow) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || 0;
  rows.sort((a, b) => {
    const ka = keyOf(a);
    const kb = keyOf(b);
    // Empty cells sort last whichever the direction.
    if (ka === null || kb === null) return ka === kb ? rankOrder(a, b) : ka === null ? 1 : -1;
    if (ka === kb) return rankOrder(a, b) || a.modelName.localeCompare(b.modelName);
    return (ka < kb ? -1 : 1) * sign;
  });
  const filterNote =
    query.view === 'reports' && query.filter
      ? 'Report ratings are computed per run, not per region, pathology or language: the filter does not apply to this view.'
      : filter && entries.some((e) => !e.views)
        ? 'Rows published before per-skill views existed have no filtered scores until they are re-scored.'
        : null;
  return { view: query.view, columns, rows, filterNote: filterNote };
}

/** The direction a column sorts in first: names and rank ascending, scores descending (best first). */
export function defaultDirection(sort: string): 'asc' | 'desc' {
  return sort === 'rank' || sort === 'model' || sort === 'team' ? 'asc' : 'desc';
}

/** Reads a board query from URL search params; anything unknown falls back to the default. Pure. */
export function parseBoardQuery(view: string | undefined, params: URLSearchParams): BoardQuery | null {
  const v = (view ?? 'overview') as BoardView;
  if (!BOARD_VIEWS.includes(v)) return null;
  const sort = params.get('sort') ?? 'rank';
  const dirParam = params.get('dir');
  const dir = dirParam === 'asc' || dirParam === 'desc' ? dirParam : defaultDirection(sort);
  return {
    view: v,
    filter: parseFilter(params.get('filter')),
    hideBaselines: params.get('baselines') === 'hide',
    openWeightsOnly: params.get('weights') === 'open',
    maxParametersB: parseMaxSize(params.get('maxb')),
    sort,
    dir,
  };
}

/** Model sizes a board can be limited to (billions of parameters). */
export const SIZE_LIMITS = [3, 8, 15, 35, 80] as const;

function parseMaxSize(raw: string | null): number | null {
  const n = Number(raw);
  return raw && (SIZE_LIMITS as readonly number[]).includes(n) ? n : null;
}

export function parseFilter(raw: string | null): BoardFilter | null {
  if (!raw) return null;
  const at = raw.indexOf(':');
  const facet = raw.slice(0, at);
  const value = raw.slice(at + 1);
  if (at < 1 || !value || (facet !== 'region' && facet !== 'pathology' && facet !== 'language')) return null;
  return { facet, value };
}

/** The search string of a board URL (without the view), keeping only non-default settings. */
export function boardSearch(query: Pick<BoardQuery, 'filter' | 'hideBaselines' | 'sort' | 'dir'> & Partial<Pick<BoardQuery, 'openWeightsOnly' | 'maxParametersB'>>): string {
  const p = new URLSearchParams();
  if (query.filter) p.set('filter', `${query.filter.facet}:${query.filter.value}`);
  if (query.hideBaselines) p.set('baselines', 'hide');
  if (query.openWeightsOnly) p.set('weights', 'open');
  if (query.maxParametersB) p.set('maxb', String(query.maxParametersB));
  if (query.sort !== 'rank') p.set('sort', query.sort);
  if (query.dir !== defaultDirection(query.sort)) p.set('dir', query.dir);
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** Formats a cell as the page prints it: `54.2 [48.1–60.0]`; ratings with two decimals. */
export function formatScored(value: Scored | null, scale: BoardColumn['scale']): string {
  if (!value) return '—';
  const d = scale === 'rating' ? 2 : 1;
  return value.ci ? `${value.score.toFixed(d)} [${value.ci[0].toFixed(d)}–${value.ci[1].toFixed(d)}]` : value.score.toFixed(d);
}
