import type { ModelCard } from '../../db/model-card';

/** The model card's fields, filled with what the card says now; a blank field clears it. */
export function ModelCardForm({ card, errors }: { card: ModelCard; errors: Record<string, string> }) {
  const err = (field: keyof ModelCard) =>
    errors[field] ? <span className="field-error" id={`card-${field}-error`}>{errors[field]}</span> : null;
  const text = (field: keyof ModelCard) => (card[field] === null ? '' : String(card[field]));
  return (
    <>
      <label>
        Parameters, in billions
        <input name="parametersB" inputMode="decimal" defaultValue={text('parametersB')} maxLength={12} aria-invalid={!!errors.parametersB} />
        {err('parametersB')}
      </label>
      <label>
        Weights
        <select name="weights" defaultValue={card.weights ?? ''}>
          <option value="">(not stated)</option>
          <option value="open">open</option>
          <option value="closed">closed</option>
        </select>
        {err('weights')}
      </label>
      <label>
        Licence
        <input name="licence" defaultValue={text('licence')} maxLength={100} />
        {err('licence')}
      </label>
      <label>
        Base model
        <input name="baseModel" defaultValue={text('baseModel')} maxLength={200} />
        {err('baseModel')}
      </label>
      <label>
        Paper link
        <input name="paperUrl" type="url" defaultValue={text('paperUrl')} maxLength={500} aria-invalid={!!errors.paperUrl} />
        {err('paperUrl')}
      </label>
      <label>
        Code link
        <input name="codeUrl" type="url" defaultValue={text('codeUrl')} maxLength={500} aria-invalid={!!errors.codeUrl} />
        {err('codeUrl')}
      </label>
      <label>
        Weights link
        <input name="weightsUrl" type="url" defaultValue={text('weightsUrl')} maxLength={500} aria-invalid={!!errors.weightsUrl} />
        {err('weightsUrl')}
      </label>
    </>
  );
}
