import { z } from 'zod';
import { REPORT_DIMENSIONS, type ReportDimension } from '../scoring/report-rubric';

const ratingSchema = z
  .object({
    score: z.number().int().min(1).max(5),
    rationale: z.string().trim().min(1).max(2_000),
  })
  .strict();

/** The one answer format the judge must produce: exactly the ten dimensions, each `{score, rationale}`. */
export const judgeAnswerSchema = z
  .object(Object.fromEntries(REPORT_DIMENSIONS.map((d) => [d, ratingSchema])) as Record<ReportDimension, typeof ratingSchema>)
  .strict();
export type JudgeAnswer = z.infer<typeof judgeAnswerSchema>;

export type ParsedJudgeAnswer = { ok: true; answer: JudgeAnswer } | { ok: false; problem: string };

/**
 * Parses the judge's message content. A single surrounding ```json fence is tolerated (many servers add it);
 * anything else around the object is malformed. Problems name fields, never quote the content.
 */
export function parseJudgeAnswer(content: string): ParsedJudgeAnswer {
  const trimmed = content.trim();
  const fenced = /^```(?:json)?\s*\n([\s\S]*?)\n?```$/i.exec(trimmed);
  const body = fenced ? fenced[1] : trimmed;
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, problem: `judge answer is not a JSON object (${content.length} chars)` };
  }
  const parsed = judgeAnswerSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    return { ok: false, problem: `judge answer does not fit the format: ${issues}` };
  }
  return { ok: true, answer: parsed.data };
}
