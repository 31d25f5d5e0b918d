/**
 * A board rank with its simultaneous 95% rank interval, printed "2 (1–4)" (docs/decisions/130). The exact rule is
 * RANK_RULE: pages print it once near the table (RankRuleNote); each cell also carries it for screen readers and
 * as a tooltip. A stale row (judged by another judge, awaiting re-score) shows that instead of a rank.
 */
export const RANK_RULE =
  'Rank = 1 + the number of models with a higher overall score. The range in brackets holds every rank the model ' +
  'could have at 95% confidence for all models at once: from 1 + the models significantly better to the number of ' +
  'ranked models − the models significantly worse. "Significantly" is judged on the items every model was scored on, ' +
  'by a paired bootstrap of the largest studentized score difference over all pairs (a family-wise test).';

export interface RankCellValue {
  rank: number | null;
  rankLow: number | null;
  rankHigh: number | null;
  stale?: boolean;
}

export function RankCell(value: RankCellValue) {
  if (value.stale) {
    return (
      <td className="rank" data-testid="rank-cell" title="Scored by an earlier judge or scorer: not ranked with the others until it is re-scored">
        <span className="badge stale">stale</span>
        <span className="visually-hidden"> — not ranked: scored by an earlier judge or scorer, awaiting re-score</span>
      </td>
    );
  }
  if (value.rank === null) return <td className="num rank" data-testid="rank-cell">—<span className="visually-hidden"> not ranked yet</span></td>;
  const interval = value.rankLow !== null && value.rankHigh !== null ? ([value.rankLow, value.rankHigh] as const) : null;
  return (
    <td className="num rank" data-testid="rank-cell" title={RANK_RULE}>
      <strong>{value.rank}</strong>
      {interval ? (
        <span className="ci" aria-hidden="true">
          {' '}({interval[0] === interval[1] ? interval[0] : `${interval[0]}–${interval[1]}`})
        </span>
      ) : null}
      {interval ? <span className="visually-hidden">, 95% rank interval {interval[0]} to {interval[1]}</span> : null}
    </td>
  );
}

/** The rule, stated once where ranks are shown. */
export function RankRuleNote() {
  return (
    <p className="note" data-testid="rank-rule">
      {RANK_RULE}
    </p>
  );
}
