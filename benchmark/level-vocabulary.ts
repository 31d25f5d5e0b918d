/**
 * The canonical vertebral level vocabulary of SpineBench (docs/decisions/100-level-vocabulary-and-parser.md).
 *
 * Vertebrae: C1–C7, T1–T12, L1–L5, L6 (transitional sixth lumbar), S1 (the sacrum, written `S1`,
 * never `S`), S2–S5 (the lower sacral segments: S2 alar-iliac screws, S2 foramina), Co (the coccyx).
 * Segments (disc levels): two vertebrae joined by `-`, upper first: `C5-C6`, `T12-L1`, `L4-L5`,
 * `L5-S1`. With a transitional L6 the lumbar discs are `L5-L6` and `L6-S1`.
 * There is no segment below S1 (the sacral segments are fused; the sacrococcygeal joint is not a disc level).
 */

export type SpineRegion = 'cervical' | 'thoracic' | 'lumbar' | 'sacral';

const range = (prefix: string, from: number, to: number): string[] =>
  Array.from({ length: to - from + 1 }, (_, i) => `${prefix}${from + i}`);

/** Every canonical vertebra, top to bottom; `L6` sits between `L5` and `S1`. */
export const CANONICAL_VERTEBRAE: readonly string[] = Object.freeze([
  ...range('C', 1, 7),
  ...range('T', 1, 12),
  ...range('L', 1, 6),
  ...range('S', 1, 5),
  'Co',
]);

/** The usual spine (no L6), top to bottom. */
const USUAL_SEQUENCE = CANONICAL_VERTEBRAE.filter((v) => v !== 'L6');
/** A spine with a transitional sixth lumbar vertebra. */
const TRANSITIONAL_SEQUENCE = [...CANONICAL_VERTEBRAE];

function adjacentPairs(sequence: readonly string[]): string[] {
  const pairs: string[] = [];
  for (let i = 0; i + 1 < sequence.length; i++) {
    if (sequence[i].startsWith('S')) break; // the sacrum is fused: no disc level below S1
    pairs.push(`${sequence[i]}-${sequence[i + 1]}`);
  }
  return pairs;
}

/** Every canonical segment, top to bottom (`L5-S1`, `L5-L6` and `L6-S1` all exist). */
export const CANONICAL_SEGMENTS: readonly string[] = Object.freeze(
  [...new Set([...adjacentPairs(USUAL_SEQUENCE), ...adjacentPairs(TRANSITIONAL_SEQUENCE)])].sort(
    (a, b) => vertebraIndex(a.split('-')[0]) - vertebraIndex(b.split('-')[0]) || vertebraIndex(a.split('-')[1]) - vertebraIndex(b.split('-')[1]),
  ),
);

const VERTEBRA_SET = new Set(CANONICAL_VERTEBRAE);
const SEGMENT_SET = new Set(CANONICAL_SEGMENTS);

/** True for a canonical vertebra (`L4`) or segment (`L4-L5`), exactly as written here. */
export function isCanonicalLevel(label: string): boolean {
  return VERTEBRA_SET.has(label) || SEGMENT_SET.has(label);
}

export function levelKind(label: string): 'vertebra' | 'segment' {
  if (VERTEBRA_SET.has(label)) return 'vertebra';
  if (SEGMENT_SET.has(label)) return 'segment';
  throw new Error(`Not a canonical level label: ${JSON.stringify(label)}`);
}

/**
 * Index of a canonical vertebra in CANONICAL_VERTEBRAE (C1 = 0 … L5 = 23, L6 = 24, S1 = 25 … S5 = 29, Co = 30).
 * Throws for anything else. For distances use levelDistance, which skips L6 unless it is named.
 */
export function vertebraIndex(label: string): number {
  const index = CANONICAL_VERTEBRAE.indexOf(label);
  if (index < 0) throw new Error(`Not a canonical vertebra: ${JSON.stringify(label)}`);
  return index;
}

/** The two vertebrae of a canonical segment, upper first. */
export function segmentVertebrae(segment: string): [string, string] {
  if (!SEGMENT_SET.has(segment)) throw new Error(`Not a canonical segment: ${JSON.stringify(segment)}`);
  const [upper, lower] = segment.split('-');
  return [upper, lower];
}

export function regionOfLevel(label: string): SpineRegion {
  const first = levelKind(label) === 'segment' ? segmentVertebrae(label)[0] : label;
  if (first === 'Co' || first.startsWith('S')) return 'sacral';
  if (first.startsWith('C')) return 'cervical';
  if (first.startsWith('T')) return 'thoracic';
  return 'lumbar';
}

function sequenceFor(...vertebrae: string[]): readonly string[] {
  return vertebrae.includes('L6') ? TRANSITIONAL_SEQUENCE : USUAL_SEQUENCE;
}

/**
 * The segments from vertebra `a` down to vertebra `b` (either order): `L3`,`L5` → `L3-L4`, `L4-L5`.
 * L6 is part of the path only when an end is L6. Returns [] for equal ends.
 */
export function segmentsBetween(a: string, b: string): string[] {
  const sequence = sequenceFor(a, b);
  let from = sequence.indexOf(a);
  let to = sequence.indexOf(b);
  if (from < 0 || to < 0) throw new Error(`Not canonical vertebrae: ${a}, ${b}`);
  if (from > to) [from, to] = [to, from];
  const segments: string[] = [];
  for (let i = from; i < to; i++) {
    const label = `${sequence[i]}-${sequence[i + 1]}`;
    if (SEGMENT_SET.has(label)) segments.push(label);
  }
  return segments;
}

/**
 * Position along the spine in vertebra steps. A vertebra sits at its index in the sequence;
 * a segment sits half a step above its lower vertebra (so `L5-S1` and `L6-S1` are both
 * "the lumbosacral disc" when L6 is in play).
 */
function position(label: string, sequence: readonly string[]): number {
  if (VERTEBRA_SET.has(label)) return sequence.indexOf(label);
  const [, lower] = segmentVertebrae(label);
  return sequence.indexOf(lower) - 0.5;
}

/**
 * Distance between two canonical levels in vertebra steps: 0 exact, 1 off by one, more is worse.
 * L6 counts as a step only when one of the labels names L6 (so `L5` vs `S1` is 1 in the usual
 * spine, `L6` vs `S1` is 1, `L4-L5` vs `L6-S1` is 2). A vertebra against a segment gives half steps
 * (`L4` vs `L4-L5` = 0.5); scorers should compare like with like.
 */
export function levelDistance(a: string, b: string): number {
  const names = (label: string) => (SEGMENT_SET.has(label) ? segmentVertebrae(label) : [label]);
  levelKind(a);
  levelKind(b);
  const sequence = sequenceFor(...names(a), ...names(b));
  return Math.abs(position(a, sequence) - position(b, sequence));
}

/** Sort order top to bottom: vertebra by index, a segment just below its upper vertebra. */
export function compareLevels(a: string, b: string): number {
  const key = (label: string) =>
    SEGMENT_SET.has(label) ? vertebraIndex(segmentVertebrae(label)[0]) + 0.5 : vertebraIndex(label);
  return key(a) - key(b) || a.localeCompare(b);
}
