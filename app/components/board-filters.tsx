import { Form } from '@remix-run/react';
import type { BoardQuery } from '../utils/board-table';
import { REGION_LABELS, SIZE_LIMITS } from '../utils/board-table';

const FACET_LABELS = { region: 'Region', pathology: 'Pathology', language: 'Language' } as const;
const LANGUAGE_LABELS: Record<string, string> = { en: 'English', zh: 'Chinese' };

function valueLabel(facet: keyof typeof FACET_LABELS, value: string): string {
  if (facet === 'region') return REGION_LABELS[value] ?? value;
  if (facet === 'language') return LANGUAGE_LABELS[value] ?? value;
  return value.replace(/_/g, ' ');
}

/**
 * The board's filters as a plain GET form (works without JavaScript). One facet value at a time: each is a
 * precomputed slice of every run, and crossing them would multiply what is stored per run.
 */
export function BoardFilters({ query, options, action }: { query: BoardQuery; options: Record<keyof typeof FACET_LABELS, string[]>; action: string }) {
  const current = query.filter ? `${query.filter.facet}:${query.filter.value}` : '';
  return (
    <Form method="get" action={action} className="board-filters" aria-label="Board filters">
      <label>
        Items{' '}
        <select name="filter" defaultValue={current} data-testid="board-filter">
          <option value="">All items</option>
          {(Object.keys(FACET_LABELS) as Array<keyof typeof FACET_LABELS>).map((facet) =>
            options[facet].length > 0 ? (
              <optgroup key={facet} label={FACET_LABELS[facet]}>
                {options[facet].map((v) => (
                  <option key={v} value={`${facet}:${v}`}>
                    {FACET_LABELS[facet]}: {valueLabel(facet, v)}
                  </option>
                ))}
              </optgroup>
            ) : null,
          )}
        </select>
      </label>
      <label>
        Model size{' '}
        <select name="maxb" defaultValue={query.maxParametersB ?? ''} data-testid="size-filter">
          <option value="">Any size</option>
          {SIZE_LIMITS.map((b) => (
            <option key={b} value={b}>{`Up to ${b} B parameters`}</option>
          ))}
        </select>
      </label>
      <label className="checkbox">
        <input type="checkbox" name="weights" value="open" defaultChecked={query.openWeightsOnly} data-testid="open-weights" /> Open weights only
      </label>
      <label className="checkbox">
        <input type="checkbox" name="baselines" value="hide" defaultChecked={query.hideBaselines} data-testid="hide-baselines" /> Hide baselines
      </label>
      {query.sort !== 'rank' ? <input type="hidden" name="sort" value={query.sort} /> : null}
      {query.sort !== 'rank' ? <input type="hidden" name="dir" value={query.dir} /> : null}
      <button type="submit" data-testid="apply-filters">Apply</button>
    </Form>
  );
}
