/** The fields every web submission shares: the team (one of the account's), the model name and its card. */
export function SubmitterFields({
  teams,
  defaultTeamId,
  error,
}: {
  teams: Array<{ id: number; name: string }>;
  defaultTeamId?: number;
  error: (field: string) => React.ReactNode;
}) {
  return (
    <>
      <label>
        Team
        <select name="teamId" defaultValue={defaultTeamId ?? teams[0]?.id} required>
          {teams.map((t) => (
            <option key={t.id} value={t.id}>{t.name}</option>
          ))}
        </select>
        {error('teamId')}
      </label>
      <label>
        Model name (as on Hugging Face, such as Qwen/Qwen2.5-VL-7B-Instruct)
        <input name="modelName" required maxLength={80} />
        {error('modelName')}
      </label>
      <fieldset className="stack">
        <legend>Model card (required before a hidden-split run; blank fields keep what the card says)</legend>
        <label>
          Parameters, in billions
          <input name="parametersB" inputMode="decimal" placeholder="e.g. 7" maxLength={12} />
          {error('parametersB')}
        </label>
        <label>
          Weights
          <select name="weights" defaultValue="">
            <option value="">(unchanged)</option>
            <option value="open">open</option>
            <option value="closed">closed</option>
          </select>
          {error('weights')}
        </label>
        <label>
          Licence
          <input name="licence" placeholder="e.g. apache-2.0" maxLength={100} />
          {error('licence')}
        </label>
        <label>
          Base model
          <input name="baseModel" placeholder="e.g. Qwen/Qwen2.5-VL-7B-Instruct" maxLength={200} />
          {error('baseModel')}
        </label>
        <label>
          Paper link
          <input name="paperUrl" type="url" placeholder="https://arxiv.org/abs/…" maxLength={500} />
          {error('paperUrl')}
        </label>
        <label>
          Code link
          <input name="codeUrl" type="url" maxLength={500} />
          {error('codeUrl')}
        </label>
        <label>
          Weights link
          <input name="weightsUrl" type="url" maxLength={500} />
          {error('weightsUrl')}
        </label>
      </fieldset>
    </>
  );
}

/** What the forms show to an account without a team. */
export function NoTeamYet() {
  return (
    <p data-testid="no-team">
      Submissions belong to a team. <a href="/teams/new">Create a team</a>, or ask a team&apos;s owner for an invite link.
    </p>
  );
}
