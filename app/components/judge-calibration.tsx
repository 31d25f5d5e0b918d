import { REPORT_DIMENSIONS, type ReportDimension } from '../../evaluator/scoring/report-rubric';

/**
 * How far the board's judge agrees with clinicians, per rubric dimension (docs/judge-calibration.md). Aggregates only:
 * never a report text or an item id, since rated reports may be hidden-split items.
 */
type Bound = number | null;
export interface CalibrationDimensionView {
  n: number;
  spearman: Bound;
  spearmanInterval: [Bound, Bound];
  kappa: Bound;
  kappaInterval: [Bound, Bound];
}

export type JudgeCalibrationValue =
  | { state: 'no-judge' }
  | { state: 'none'; judgeModel: string }
  | {
      state: 'shown';
      judgeModel: string;
      synthetic: boolean;
      createdAt: string;
      rated: number;
      judged: number;
      dimensions: Record<ReportDimension, CalibrationDimensionView>;
    };

const LABELS: Record<ReportDimension, string> = {
  imaging_report: 'Imaging report',
  diagnosis: 'Diagnosis',
  patient_guidance: 'Patient guidance',
  evidence_based_treatment: 'Evidence-based treatment',
  technical_feasibility: 'Technical feasibility',
  risk_prognosis: 'Risk and prognosis',
  coverage: 'Coverage',
  relevance: 'Relevance',
  granularity: 'Granularity',
  interpretability: 'Interpretability',
};

const fmt = (v: Bound) => (v === null ? '—' : v.toFixed(2).replace('-', '−'));
const withInterval = (v: Bound, [lo, hi]: [Bound, Bound]) => (v === null ? '— (undefined: a rater gave one rating throughout)' : `${fmt(v)} [${fmt(lo)}, ${fmt(hi)}]`);

export function JudgeCalibration({ value }: { value: JudgeCalibrationValue }) {
  if (value.state === 'no-judge') {
    return (
      <p className="note" data-testid="judge-calibration">
        Judge–clinician agreement: no LLM judge is configured (these reports were scored by the deterministic check), so there is no judge to calibrate against clinicians.
      </p>
    );
  }
  if (value.state === 'none') {
    return (
      <p className="note" data-testid="judge-calibration">
        Judge–clinician agreement: no clinician ratings have been compared with {value.judgeModel} in this configuration yet.
      </p>
    );
  }
  return (
    <section aria-labelledby="judge-calibration-title" data-testid="judge-calibration">
      <h3 id="judge-calibration-title">
        Agreement of {value.judgeModel} with clinicians
        {value.synthetic ? <span className="badge synthetic" data-testid="calibration-synthetic">synthetic ratings</span> : null}
      </h3>
      {value.synthetic ? (
        <p className="synthetic-banner">
          SYNTHETIC: these clinician ratings were made up by a program for the demo. No clinician rated anything, and
          the numbers say nothing about this judge.
        </p>
      ) : null}
      <p className="note">
        {value.judged} of {value.rated} clinician-rated reports also rated by the judge ({value.createdAt.slice(0, 10)}). Spearman ρ and
        quadratic-weighted Cohen&rsquo;s κ per dimension, with 95% bootstrap intervals in brackets; 1 is perfect agreement, 0 none.
      </p>
      <div className="table-scroll" role="region" aria-label="Judge–clinician agreement" tabIndex={0}>
        <table className="compact" data-testid="calibration-table">
          <thead>
            <tr><th scope="col">Dimension</th><th scope="col" className="num">n</th><th scope="col">Spearman ρ [95% CI]</th><th scope="col">Weighted κ [95% CI]</th></tr>
          </thead>
          <tbody>
            {REPORT_DIMENSIONS.map((d) => {
              const a = value.dimensions[d];
              return (
                <tr key={d} data-dimension={d}>
                  <th scope="row">{LABELS[d]}</th>
                  <td className="num">{a.n}</td>
                  <td className="num" data-testid="spearman">{withInterval(a.spearman, a.spearmanInterval)}</td>
                  <td className="num" data-testid="kappa">{withInterval(a.kappa, a.kappaInterval)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
