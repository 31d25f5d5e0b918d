/** The rule the board states wherever ranks are shown. */
export const RANK_RULE =
  'Rank = 1 + the number of models significantly better (paired bootstrap); in brackets, the 95% rank interval.';

/** A stored rank with its rank interval, as "2 (1–4)"; the interval is left out where none is stored. */
export function RankCell({ rank, rankLow, rankHigh }: { rank: number | null; rankLow: number | null; rankHigh: number | null }) {
  return (
    <td className="num rank" data-testid="rank-cell">
      {rank ?? '—'}
      {rankLow !== null && rankHigh !== null ? <span className="ci"> ({rankLow === rankHigh ? rankLow : `${rankLow}–${rankHigh}`})</span> : null}
    </td>
  );
}
