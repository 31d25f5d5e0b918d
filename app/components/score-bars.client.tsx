import { Bar, BarChart, CartesianGrid, ErrorBar, Label, Legend, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export interface BarSeries {
  key: string;
  label: string;
  color: string;
}

export interface BarRow {
  label: string;
  /** series key → score and its 95% interval. */
  values: Record<string, { score: number; ci: [number, number] | null } | null>;
}

export interface ScoreBarsProps {
  rows: BarRow[];
  series: BarSeries[];
  domain: [number, number];
  /** Where a chance line belongs (25 on four-option MCQs), with its label. */
  chance?: { value: number; label: string } | null;
  ariaLabel: string;
}

/**
 * Horizontal bars with their 95% intervals as whiskers on each bar (recharts ErrorBar), legend in bar order.
 * Browser only: recharts 3 draws nothing on the server; the page's table carries the same numbers.
 */
export default function ScoreBars({ rows, series, domain, chance, ariaLabel }: ScoreBarsProps) {
  const data = rows.map((r) => {
    const out: Record<string, unknown> = { label: r.label };
    for (const s of series) {
      const v = r.values[s.key];
      out[s.key] = v ? v.score : null;
      // ErrorBar takes the distances below and above the bar's end.
      out[`${s.key}__err`] = v?.ci ? [Math.max(0, v.score - v.ci[0]), Math.max(0, v.ci[1] - v.score)] : [0, 0];
    }
    return out;
  });
  const height = Math.max(200, 70 + rows.length * (18 + 16 * series.length));
  return (
    <figure className="chart-figure" aria-label={ariaLabel}>
      <ResponsiveContainer width="100%" height={height}>
        <BarChart data={data} layout="vertical" margin={{ left: 8, right: 24, top: 8, bottom: 8 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} stroke="#c9cfd9" />
          <XAxis type="number" domain={domain} tick={{ fill: '#1d2330' }} />
          <YAxis type="category" dataKey="label" width={130} tick={{ fill: '#1d2330', fontSize: 12 }} />
          <Tooltip formatter={(v) => (typeof v === 'number' ? v.toFixed(1) : String(v))} />
          {/* Legend in the bars' order (recharts sorts by name unless told not to), its text in body colour. */}
          <Legend itemSorter={null} formatter={(value) => <span style={{ color: '#1d2330' }}>{value}</span>} />
          {series.map((s) => (
            <Bar key={s.key} isAnimationActive={false} dataKey={s.key} name={s.label} fill={s.color}>
              <ErrorBar dataKey={`${s.key}__err`} direction="x" width={5} stroke="#111" strokeWidth={1.5} />
            </Bar>
          ))}
          {chance ? (
            <ReferenceLine x={chance.value} stroke="#a4161a" strokeDasharray="5 4" strokeWidth={1.5}>
              <Label value={chance.label} position="insideTopLeft" fill="#a4161a" fontSize={12} />
            </ReferenceLine>
          ) : null}
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
