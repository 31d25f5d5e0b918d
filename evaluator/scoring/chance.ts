/**
 * The score a blind guess expects on multiple-choice items: the mean of 100/k over items with k options
 * (25 on four-option MCQs). Charts draw it as a reference line; it exists only where every charted item is an
 * MCQ. Pure.
 */
export interface ChanceLevel {
  /** 0–100. */
  value: number;
  /** The one option count every item has, or null when counts differ. */
  options: number | null;
  label: string;
}

/** `counts`: how many items have each option count. Null without items. */
export function chanceLevel(counts: ReadonlyArray<{ options: number; items: number }>): ChanceLevel | null {
  const usable = counts.filter((c) => c.options >= 2 && c.items > 0);
  const n = usable.reduce((s, c) => s + c.items, 0);
  if (n === 0) return null;
  const value = usable.reduce((s, c) => s + (c.items * 100) / c.options, 0) / n;
  const options = usable.length === 1 ? usable[0].options : null;
  const label = options !== null ? `chance ${Number(value.toFixed(1))}% (${options} options)` : `chance ≈ ${value.toFixed(1)}%`;
  return { value, options, label };
}
