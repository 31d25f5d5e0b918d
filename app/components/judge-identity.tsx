/**
 * Who scored the reports: the judge model, its pinned version and the judge prompt version (a hash of the prompt's
 * content, docs/decisions/131), or the deterministic check when no judge is configured. Used on boards and run pages.
 */
export interface JudgeIdentityValue {
  reportMethod: 'judge' | 'deterministic' | null;
  judge: { model: string; modelVersion: string; promptVersion: string | null } | null;
}

export function JudgeIdentity({ value }: { value: JudgeIdentityValue }) {
  if (value.reportMethod === null) return null;
  if (value.reportMethod === 'deterministic' || !value.judge) {
    return (
      <p className="note" data-testid="judge-identity">
        Reports scored by the deterministic report check (no LLM judge): key findings at the right level, level
        precision and the six sections. Not comparable with judge scores.
      </p>
    );
  }
  const { model, modelVersion, promptVersion } = value.judge;
  return (
    <p className="note" data-testid="judge-identity">
      Reports judged by <strong>{model}</strong>, version <code>{modelVersion}</code>, judge prompt{' '}
      <code>{promptVersion ?? 'not recorded (judged before prompt versions were stored)'}</code>.
    </p>
  );
}
