import { REPORT_SECTION_TITLES, REPORT_SECTIONS, type ReportItem } from '../../benchmark/item-schema';
import { seededRandom } from '../scoring/random';
import { REPORT_DIMENSIONS } from '../scoring/report-rubric';

/**
 * The demo's SYNTHETIC clinician ratings (docs/decisions/134-judge-calibration.md): no clinician rated anything.
 * Reports are the reference reports of public dev-split items with 0–3 sections left out, and the made-up ratings
 * fall with each section left out, plus seeded noise. It exists so the calibration view has something to show;
 * its agreement numbers say nothing about any judge. Returns the JSONL upload format (docs/judge-calibration.md).
 */
export const SYNTHETIC_RATER = 'SYNTHETIC (demo data, not a clinician)';

export function syntheticRatingsJsonl(items: ReadonlyArray<{ itemKey: string; payload: ReportItem }>, count = 12, seed = 12): string {
  const random = seededRandom(seed);
  const lines: string[] = [];
  for (let i = 0; i < Math.min(count, items.length); i++) {
    const { itemKey, payload } = items[i];
    const dropped = i % 4;
    const kept = REPORT_SECTIONS.slice(0, REPORT_SECTIONS.length - dropped);
    const report = kept.map((s) => `## ${REPORT_SECTION_TITLES.en[s]}\n${payload.referenceReport[s]}`).join('\n\n');
    const ratings = Object.fromEntries(
      REPORT_DIMENSIONS.map((d) => {
        const noise = random() < 0.35 ? (random() < 0.5 ? -1 : 1) : 0;
        return [d, Math.max(1, Math.min(5, 5 - dropped + noise))];
      }),
    );
    lines.push(JSON.stringify({ item_id: itemKey, report, ratings, rater: SYNTHETIC_RATER }));
  }
  return lines.join('\n') + '\n';
}
