import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export interface ChartRow {
  model: string;
  overall: number;
  /** The overall score's 95% interval, drawn as a range bar. */
  overallCi: [number, number] | null;
  textMcq: number | null;
  imageMcq: number | null;
  report: number | null;
}

/** Overall score with its 95% interval, and the three parts, per model (browser only: recharts 3 has no SSR). */
export default function ScoreChart({ rows }: { rows: ChartRow[] }) {
  return (
    <ResponsiveContainer width="100%" height={Math.max(220, 60 + rows.length * 48)}>
      <BarChart data={rows} layout="vertical" margin={{ left: 40, right: 30 }}>
        <CartesianGrid strokeDasharray="3 3" horizontal={false} />
        <XAxis type="number" domain={[0, 100]} />
        <YAxis type="category" dataKey="model" width={160} />
        <Tooltip formatter={(v) => (typeof v === 'number' ? v.toFixed(1) : String(v))} />
        <Legend />
        <Bar isAnimationActive={false} dataKey="overall" name="Overall" fill="#15324f" />
        <Bar isAnimationActive={false} dataKey="overallCi" name="Overall 95% CI" fill="#e07a1f" />
        <Bar isAnimationActive={false} dataKey="textMcq" name="Text MCQ" fill="#4f83b8" />
        <Bar isAnimationActive={false} dataKey="imageMcq" name="Image MCQ" fill="#86b3d9" />
        <Bar isAnimationActive={false} dataKey="report" name="Report" fill="#b9d7ee" />
      </BarChart>
    </ResponsiveContainer>
  );
}
