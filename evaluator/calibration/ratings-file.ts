import { REPORT_DIMENSIONS, type ReportDimension } from '../scoring/report-rubric';

/**
 * The clinician ratings file (docs/judge-calibration.md): JSONL, one rated report a line —
 * `{"item_id": "<report item of the release>", "report": "<the report text>", "ratings": {<ten dimensions>: 1..5},
 * "rater": "<optional label>"}`. Pure: the caller says which item ids exist. Every problem is reported with its line
 * and field, and any problem rejects the whole file.
 */

export const MAX_RATED_REPORTS = 500;
export const MAX_REPORT_CHARS = 50_000;
const FIELDS = new Set(['item_id', 'report', 'ratings', 'rater']);

export interface ClinicianRating {
  /** 1-based line of the file. */
  line: number;
  itemId: string;
  report: string;
  rater: string | null;
  ratings: Record<ReportDimension, number>;
}

export interface RatingsProblem {
  line: number;
  /** The field at fault (`ratings.diagnosis`), or null when the line itself is. */
  field: string | null;
  message: string;
}

export type RatingsFileResult = { ok: true; ratings: ClinicianRating[] } | { ok: false; problems: RatingsProblem[] };

/** Parses and validates the file against the release's report item ids. Blank lines are skipped. */
export function parseRatingsFile(text: string, reportItemIds: ReadonlySet<string>): RatingsFileResult {
  const problems: RatingsProblem[] = [];
  const ratings: ClinicianRating[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    const raw = lines[i].trim();
    if (raw === '') continue;
    const found = parseLine(raw, line, reportItemIds);
    if ('problems' in found) problems.push(...found.problems);
    else ratings.push(found.rating);
  }
  if (problems.length === 0 && ratings.length === 0) problems.push({ line: 1, field: null, message: 'the file holds no ratings' });
  if (ratings.length > MAX_RATED_REPORTS) {
    problems.push({ line: ratings[MAX_RATED_REPORTS].line, field: null, message: `at most ${MAX_RATED_REPORTS} rated reports per upload` });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, ratings };
}

function parseLine(raw: string, line: number, ids: ReadonlySet<string>): { rating: ClinicianRating } | { problems: RatingsProblem[] } {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    return { problems: [{ line, field: null, message: `not valid JSON: ${(error as Error).message}` }] };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { problems: [{ line, field: null, message: 'each line must be one JSON object' }] };
  }
  const obj = value as Record<string, unknown>;
  const problems: RatingsProblem[] = [];
  const problem = (field: string | null, message: string) => problems.push({ line, field, message });
  for (const key of Object.keys(obj)) if (!FIELDS.has(key)) problem(key, 'unknown field (expected item_id, report, ratings, rater)');

  const itemId = obj.item_id;
  if (typeof itemId !== 'string' || itemId.trim() === '') problem('item_id', 'required: the id of a report item of this release');
  else if (!ids.has(itemId)) problem('item_id', `"${itemId.slice(0, 80)}" is not a report item of this release`);

  const report = obj.report;
  if (typeof report !== 'string' || report.trim() === '') problem('report', 'required: the report text the clinicians rated');
  else if (report.length > MAX_REPORT_CHARS) problem('report', `longer than ${MAX_REPORT_CHARS} characters`);

  const rater = obj.rater;
  if (rater !== undefined && rater !== null && (typeof rater !== 'string' || rater.length > 100)) problem('rater', 'must be a label of at most 100 characters');

  const given = obj.ratings;
  const dims = {} as Record<ReportDimension, number>;
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    problem('ratings', `required: an object rating ${REPORT_DIMENSIONS.join(', ')}`);
  } else {
    const record = given as Record<string, unknown>;
    for (const key of Object.keys(record)) if (!(REPORT_DIMENSIONS as readonly string[]).includes(key)) problem(`ratings.${key}`, 'unknown dimension');
    for (const d of REPORT_DIMENSIONS) {
      const v = record[d];
      if (v === undefined) problem(`ratings.${d}`, 'missing');
      else if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 5) problem(`ratings.${d}`, `must be an integer from 1 to 5, got ${JSON.stringify(v)}`);
      else dims[d] = v;
    }
  }
  if (problems.length > 0) return { problems };
  return { rating: { line, itemId: itemId as string, report: report as string, rater: typeof rater === 'string' ? rater : null, ratings: dims } };
}
