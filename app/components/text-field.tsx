import type { InputHTMLAttributes } from 'react';

interface TextFieldProps extends InputHTMLAttributes<HTMLInputElement> {
  name: string;
  label: string;
  /** The field's error, shown under it and announced with it. */
  error?: string;
  hint?: string;
}

/** A labelled input whose error names it and is tied to it for screen readers (aria-describedby). */
export function TextField({ name, label, error, hint, ...input }: TextFieldProps) {
  const errorId = `${name}-error`;
  const hintId = `${name}-hint`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
  return (
    <label>
      {label}
      {hint ? <span className="note" id={hintId}>{hint}</span> : null}
      <input name={name} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...input} />
      {error ? <span className="field-error" id={errorId} role="alert">{error}</span> : null}
    </label>
  );
}
