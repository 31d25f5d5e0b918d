import { PolarAngleAxis, PolarGrid, PolarRadiusAxis, Radar, RadarChart, ResponsiveContainer, Tooltip } from 'recharts';

export interface RadarPoint {
  axis: string;
  score: number;
}

/** One model's scores per skill on 0–100 (browser only; the page's table has the numbers and intervals). */
export default function SkillRadar({ points, name }: { points: RadarPoint[]; name: string }) {
  return (
    <ResponsiveContainer width="100%" height={300}>
      <RadarChart data={points} outerRadius="70%">
        <PolarGrid stroke="#c9cfd9" />
        <PolarAngleAxis dataKey="axis" tick={{ fill: '#1d2330', fontSize: 11 }} />
        <PolarRadiusAxis domain={[0, 100]} tick={{ fill: '#4a5568', fontSize: 10 }} angle={90} />
        <Radar isAnimationActive={false} name={name} dataKey="score" stroke="#15324f" fill="#2f6f9f" fillOpacity={0.35} />
        <Tooltip formatter={(v) => (typeof v === 'number' ? v.toFixed(1) : String(v))} />
      </RadarChart>
    </ResponsiveContainer>
  );
}
