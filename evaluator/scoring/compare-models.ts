import { REGIONS, type Modality } from '../../benchmark/item-schema';
import { bootstrapMeanInterval, DEFAULT_BOOTSTRAP, seedFor, type Interval } from './bootstrap';
import { PARTS, type ItemFacets, type Part } from './item-score';
import type { LevelErrorClass } from './level-score';
import { pairedDifference, type PairedDifference } from './paired-difference';

/**
 * Two to four models side by side per part, clinical skill, modality and level identification, each beside the
 * first (the reference) by a paired-bootstrap difference over the items both were scored on
 * (docs/decisions/261-compare-page.md). Works on item values in memory; returns aggregates only, so a page may
 * show the result for the hidden split. Pure and deterministic.
 */

/** What a comparison reads of one scored item. */
export interface CompareItem {
  itemId: string;
  part: Part;
  facets: Pick<ItemFacets, 'skill' | 'modalities' | 'region'>;
  /** 0–100, or null when the item has no valid score (itemValue in evaluator/scoring/aggregate.ts). */
  value: number | null;
  /** Level questions only: how the named level compares with the true one. */
  levelClass: LevelErrorClass | null;
}

export interface CompareModel {
  id: string;
  items: ReadonlyArray<CompareItem>;
}

export type CompareGroup = 'overall' | 'part' | 'skill' | 'modality' | 'level';

/** Fewer shared items than this and a row shows no difference: too few to say anything (and closer to per-item data). */
export const MIN_SHARED_ITEMS = 5;

/** A compare page shows two to four models: more columns would not fit a phone or a reader's attention. */
export const MAX_COMPARED = 4;

export interface CompareCell {
  score: number;
  n: number;
  ci: Interval;
}

export type CompareDiff = PairedDifference | { tooFew: number };

export interface CompareRow {
  key: string;
  group: CompareGroup;
  /** Per model, in input order: its score on the row's items (null when it has none). */
  models: Array<CompareCell | null>;
  /** Per model after the first: the paired difference model − reference; null when they share no item. */
  diffs: Array<CompareDiff | null>;
}

interface RowSpec {
  key: string;
  group: CompareGroup;
  /** The item's value in this row, or null when the item is not in it. */
  pick(item: CompareItem): number | null;
}

const CLINICAL_SKILLS = ['level_identification', 'pathology_assessment', 'surgical_planning'];
const MODALITY_COLUMNS = ['xray', 'ct', 'mri', 'multi', 'text_only'] as const;

function modalityColumns(modalities: readonly Modality[]): string[] {
  if (modalities.length === 0) return ['text_only'];
  return modalities.length > 1 ? [...modalities, 'multi'] : [...modalities];
}

const exactLevel = (i: CompareItem) => (i.levelClass === null ? null : i.levelClass === 'exact' ? 100 : 0);

export const COMPARE_ROWS: ReadonlyArray<RowSpec> = [
  { key: 'overall', group: 'overall', pick: (i) => i.value },
  ...PARTS.map((p): RowSpec => ({ key: p, group: 'part', pick: (i) => (i.part === p ? i.value : null) })),
  ...CLINICAL_SKILLS.map((s): RowSpec => ({ key: `skill_${s}`, group: 'skill', pick: (i) => (i.facets.skill === s ? i.value : null) })),
  ...MODALITY_COLUMNS.map((m): RowSpec => ({ key: `modality_${m}`, group: 'modality', pick: (i) => (modalityColumns(i.facets.modalities).includes(m) ? i.value : null) })),
  { key: 'level_exact', group: 'level', pick: exactLevel },
  ...REGIONS.map((r): RowSpec => ({ key: `level_exact_${r}`, group: 'level', pick: (i) => (i.facets.region === r ? exactLevel(i) : null) })),
];

export function compareModels(models: ReadonlyArray<CompareModel>, options: { resamples?: number } = {}): CompareRow[] {
  if (models.length < 2) throw new Error('compareModels: compare at least two models');
  const byId = models.map((m) => new Map(m.items.map((i) => [i.itemId, i])));
  // Items in id order, so results do not depend on the order rows were read in.
  const ids = [...new Set(models.flatMap((m) => m.items.map((i) => i.itemId)))].sort();
  const bootstrap = { ...DEFAULT_BOOTSTRAP, ...options };
  const rows: CompareRow[] = [];
  for (const spec of COMPARE_ROWS) {
    const values = byId.map((map) => ids.map((id) => { const item = map.get(id); return item ? spec.pick(item) : null; }));
    // Only the overall row is stratified by part, as the stored aggregate's overall is: elsewhere the parts are an
    // accident of the row's items, and a stratum of one or two items would not vary at all (as the boards' own
    // slices, evaluator/scoring/board-views.ts, use one stratum).
    const stratumOf = (part: Part) => (spec.group === 'overall' ? part : 'all');
    const strataKeys = spec.group === 'overall' ? PARTS : (['all'] as const);
    const cells = values.map((vs, mi): CompareCell | null => {
      const strata = strataKeys.map((p) => ids.flatMap((id, k) => (vs[k] !== null && stratumOf(byId[mi].get(id)!.part) === p ? [vs[k]!] : [])));
      const n = strata.reduce((s, x) => s + x.length, 0);
      if (n === 0) return null;
      const score = strata.reduce((s, x) => s + x.reduce((a, b) => a + b, 0), 0) / n;
      return { score, n, ci: bootstrapMeanInterval(strata, { ...bootstrap, seed: seedFor(bootstrap.seed, `compare:${spec.key}`) }) };
    });
    if (cells.every((c) => c === null)) continue;
    const diffs = values.slice(1).map((vs, k): CompareDiff | null => {
      const ref = values[0];
      const strata = strataKeys.map((p) => {
        const a: number[] = [];
        const b: number[] = [];
        ids.forEach((id, j) => {
          if (ref[j] !== null && vs[j] !== null && stratumOf(byId[0].get(id)!.part) === p) (a.push(ref[j]!), b.push(vs[j]!));
        });
        return { a, b };
      });
      const n = strata.reduce((s, x) => s + x.a.length, 0);
      if (n === 0) return null;
      if (n < MIN_SHARED_ITEMS) return { tooFew: n };
      return pairedDifference(strata, `${spec.key}:${models[0].id}:${models[k + 1].id}`, bootstrap);
    });
    rows.push({ key: spec.key, group: spec.group, models: cells, diffs });
  }
  return rows;
}
