import type { ChanceLevel } from '../../evaluator/scoring/chance';
import type { BoardTable } from '../utils/board-table';
import { ClientScoreBars, SERIES_COLORS } from './client-chart';

/**
 * Which columns each view charts (a few, so bars stay readable), and whether a chance line applies: only the
 * overview charts MCQ parts (text and image MCQ); level, modality and report columns mix in reports or are not
 * accuracies, so a guessing line would mislead there.
 */
const CHARTED: Record<BoardTable['view'], { keys: string[]; chance: boolean }> = {
  overview: { keys: ['overall', 'text_mcq', 'image_mcq', 'report'], chance: true },
  levels: { keys: ['exact', 'off_by_one', 'worse'], chance: false },
  modality: { keys: ['modality_xray', 'modality_ct', 'modality_mri', 'modality_multi', 'modality_text_only'], chance: false },
  reports: { keys: ['section_imaging_report', 'section_diagnosis', 'section_treatment', 'section_risk_prognosis', 'section_quality'], chance: false },
};

/** The board's chart: the view's main columns per model, with interval whiskers (drawn after hydration). */
export function BoardCharts({ table, chance }: { table: BoardTable; chance: ChanceLevel | null }) {
  const chosen = CHARTED[table.view];
  const columns = table.columns.filter((c) => chosen.keys.includes(c.key));
  const rating = columns.some((c) => c.scale === 'rating');
  const rows = table.rows.slice(0, 15).map((r) => ({ label: r.modelName, values: Object.fromEntries(columns.map((c) => [c.key, r.cells[c.key] ?? null])) }));
  if (!rows.some((r) => Object.values(r.values).some((v) => v !== null))) return null;
  return (
    <ClientScoreBars
      testId="board-chart"
      ariaLabel={`Chart of ${columns.map((c) => c.label).join(', ')} per model with 95% interval whiskers${chosen.chance && chance ? `; dashed line: MCQ ${chance.label}` : ''}; the table above has the same numbers`}
      rows={rows}
      series={columns.map((c, i) => ({ key: c.key, label: c.label, color: SERIES_COLORS[i % SERIES_COLORS.length] }))}
      domain={rating ? [1, 5] : [0, 100]}
      chance={chosen.chance && chance ? { value: chance.value, label: `MCQ ${chance.label}` } : null}
    />
  );
}
