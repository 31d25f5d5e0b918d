import type { BoardViews, LevelRates } from '../../evaluator/scoring/board-views';
import { DIMENSION_LABELS, MODALITY_LABELS, REGION_LABELS, SECTION_LABELS, SKILL_LABELS, type Scored } from '../utils/board-table';
import { ClientScoreBars, ClientSkillRadar, SERIES_COLORS } from './client-chart';
import { SpinePicture } from './spine-picture';

/** The stored aggregate fields a breakdown shows (workers/publish-run-score.ts, publicAggregate). */
export interface StoredBreakdown {
  parts: Record<'text_mcq' | 'image_mcq' | 'report', Scored | null>;
  overall: Scored | null;
  reportDeterministic?: Scored | null;
  reportMethod: 'judge' | 'deterministic' | null;
  judge: { model: string; modelVersion: string } | null;
}

function ScoreText({ value, rating = false }: { value: Scored | null | undefined; rating?: boolean }) {
  if (!value) return <span aria-label="no score">—</span>;
  const d = rating ? 2 : 1;
  return (
    <>
      <strong>{value.score.toFixed(d)}</strong>
      {value.ci ? <span className="ci"> [{value.ci[0].toFixed(d)}–{value.ci[1].toFixed(d)}]</span> : null}
    </>
  );
}

function ScoreTable({ caption, rows, rating = false, testId }: { caption: string; rows: Array<[string, Scored | null | undefined]>; rating?: boolean; testId: string }) {
  return (
    <div className="table-scroll" role="region" aria-label={caption} tabIndex={0}>
      <table data-testid={testId} className="compact">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{rating ? 'Dimension' : 'Part'}</th>
            <th scope="col" className="num">{rating ? 'Rating (1–5) [95% CI]' : 'Score [95% CI]'}</th>
            <th scope="col" className="num">Items</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([label, v]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              <td className="num"><ScoreText value={v} rating={rating} /></td>
              <td className="num">{v?.n ?? 0}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function LevelTable({ levels }: { levels: BoardViews['levels'] }) {
  const rows: Array<[string, LevelRates | null | undefined]> = [['All regions', levels.overall], ...Object.entries(REGION_LABELS).map(([k, l]) => [l, levels.byRegion[k]] as [string, LevelRates | null])];
  return (
    <div className="table-scroll" role="region" aria-label="Level identification" tabIndex={0}>
      <table data-testid="level-table" className="compact">
        <caption>Level identification (level questions)</caption>
        <thead>
          <tr>
            <th scope="col">Region</th>
            <th scope="col" className="num">Exact</th>
            <th scope="col" className="num">F1</th>
            <th scope="col" className="num">Off by one</th>
            <th scope="col" className="num">Worse</th>
            <th scope="col" className="num">Items</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([label, r]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              <td className="num"><ScoreText value={r?.exact} /></td>
              <td className="num"><ScoreText value={r?.f1} /></td>
              <td className="num"><ScoreText value={r?.offByOne} /></td>
              <td className="num"><ScoreText value={r?.worse} /></td>
              <td className="num">{r?.n ?? 0}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * A run's published breakdown: skills (radar), modality (bars with whiskers), level identification with the spine
 * picture, and report quality. Tables are the source of truth; charts mirror them after hydration.
 */
export function RunBreakdown({ name, breakdown, views }: { name: string; breakdown: StoredBreakdown; views: BoardViews | null }) {
  const skillRows: Array<[string, Scored | null | undefined]> = [
    ['Overall', breakdown.overall],
    ['Text MCQ', breakdown.parts.text_mcq],
    ['Image MCQ', breakdown.parts.image_mcq],
    ['Report', breakdown.parts.report],
    ...Object.entries(SKILL_LABELS).map(([k, l]) => [l, views?.skills[k]] as [string, Scored | null | undefined]),
  ];
  const radar = skillRows.slice(1).flatMap(([axis, v]) => (v ? [{ axis, score: v.score }] : []));
  const modalityRows = Object.entries(MODALITY_LABELS).map(([k, l]) => [l, views?.modality[k as keyof typeof MODALITY_LABELS]] as [string, Scored | null | undefined]);
  const report = views?.report ?? null;
  const judged = breakdown.reportMethod === 'judge' && breakdown.judge;
  return (
    <div className="breakdown">
      <section aria-labelledby="skills-h">
        <h2 id="skills-h">Skills</h2>
        <div className="two-col">
          <ScoreTable caption="Score per part and clinical skill (0–100)" rows={skillRows} testId="skill-table" />
          <ClientSkillRadar points={radar} name={name} testId="skill-radar" />
        </div>
      </section>
      <section aria-labelledby="modality-h">
        <h2 id="modality-h">Modality</h2>
        <ScoreTable caption="Score per imaging modality (0–100)" rows={modalityRows} testId="modality-table" />
        <ClientScoreBars
          testId="modality-chart"
          ariaLabel="Bars of the score per modality with 95% interval whiskers; the table above has the same numbers"
          rows={modalityRows.map(([label, v]) => ({ label, values: { score: v ?? null } }))}
          series={[{ key: 'score', label: 'Score (95% CI)', color: SERIES_COLORS[1] }]}
          domain={[0, 100]}
        />
      </section>
      <section aria-labelledby="levels-h">
        <h2 id="levels-h">Level identification</h2>
        {views ? (
          <>
            <LevelTable levels={views.levels} />
            <SpinePicture spine={views.spine} confusions={views.confusions} />
          </>
        ) : (
          <p className="note">This run was published before per-level views existed; re-scoring it fills them in.</p>
        )}
      </section>
      <section aria-labelledby="report-h">
        <h2 id="report-h">Report quality</h2>
        <p className="note" data-testid="report-method">
          {judged
            ? `Judge: ${breakdown.judge!.model} (version ${breakdown.judge!.modelVersion}). `
            : 'No LLM judge rated these reports: the report score is the deterministic check. '}
          Report score <ScoreText value={breakdown.parts.report} />; deterministic report check{' '}
          <span data-testid="report-check"><ScoreText value={breakdown.reportDeterministic} /></span>.
        </p>
        {report ? (
          <>
            <ScoreTable
              caption={`Judge ratings on ${report.n} reports (1–5)`}
              rating
              testId="report-table"
              rows={[
                ...Object.entries(SECTION_LABELS).map(([k, l]) => [`§ ${l}`, (report.sections as Record<string, Scored | null>)[k]] as [string, Scored | null]),
                ...Object.entries(DIMENSION_LABELS).map(([k, l]) => [l, (report.dimensions as Record<string, Scored | null>)[k]] as [string, Scored | null]),
              ]}
            />
            <ClientScoreBars
              testId="report-chart"
              ariaLabel="Bars of the judge's mean rating per report dimension with 95% interval whiskers; the table above has the same numbers"
              rows={Object.entries(DIMENSION_LABELS).map(([k, l]) => ({ label: l, values: { rating: (report.dimensions as Record<string, Scored | null>)[k] } }))}
              series={[{ key: 'rating', label: 'Mean rating 1–5 (95% CI)', color: SERIES_COLORS[3] }]}
              domain={[1, 5]}
            />
          </>
        ) : null}
      </section>
    </div>
  );
}
