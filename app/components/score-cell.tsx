/** A score with its 95% interval, as the board prints it: `54.2 [48.1–60.0]`. */
export function ScoreCell({ value }: { value: { score: number; ci: [low: number, high: number] | null } | null }) {
  if (!value) return <td className="num">—</td>;
  return (
    <td className="num">
      <strong>{value.score.toFixed(1)}</strong>
      {value.ci ? (
        <span className="ci">
          {' '}[{value.ci[0].toFixed(1)}–{value.ci[1].toFixed(1)}]
        </span>
      ) : null}
    </td>
  );
}
