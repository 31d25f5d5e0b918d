import { createHash } from 'node:crypto';
import type { Item, McqItem, ReportItem } from '../../benchmark/item-schema';
import { loadReleaseFolder } from '../../benchmark/release';
import { buildPrompt } from '../../evaluator/prompt';
import { aggregateRun, scoreItem } from '../../evaluator/scoring';
import { DEMO_RELEASE_DIR } from './demo-release';

/**
 * A stand-in team model for the demo release: it answers an item right when the hash of its id is even
 * (the MCQ letter; for reports, the reference report), wrong otherwise, so a run's expected result is known
 * in advance and independent of scheduling.
 */
const loaded = await loadReleaseFolder(DEMO_RELEASE_DIR);
export const demoItems = loaded.items;
export const demoTestItems = loaded.items.filter((i) => i.split === 'test');
export const demoTestMcqItems = demoTestItems.filter((i): i is McqItem => i.task === 'mcq');
export const DEMO_RELEASE = `${loaded.manifest.name}@${loaded.manifest.version}`;

const answersRight = (item: Item) => createHash('sha256').update(item.id).digest()[0] % 2 === 0;

function referenceText(item: ReportItem): string {
  const r = item.referenceReport;
  return [
    `Structured findings: ${r.structuredFindings}`,
    `Diagnosis: ${r.diagnosis}`,
    `Treatment advice: ${r.treatmentAdvice}`,
    `Risk and prognosis: ${r.riskPrognosis}`,
    `Post-operative management: ${r.postoperativeManagement}`,
    `Diagnostic basis: ${r.diagnosticBasis}`,
  ].join('\n');
}

/** What the oracle answers for an item. */
export function oracleOutput(item: Item): string {
  if (item.task === 'report') return answersRight(item) ? referenceText(item) : 'I cannot write this report.';
  if (answersRight(item)) return `Answer: ${item.answer}`;
  return (['A', 'B', 'C', 'D', 'E'] as const).find((l) => l !== item.answer && item.options[l] !== undefined)!;
}

/** The oracle as an endpoint sees it: it recognises the item from the prompt text. */
const itemsByPrompt = new Map(demoItems.map((i) => [buildPrompt(i, []).text, i]));
export function oracleAnswer(userText: string): string {
  const item = itemsByPrompt.get(userText);
  return item ? oracleOutput(item) : 'I do not know';
}

/** MCQ accuracy of the oracle on the hidden split, counted directly. */
export const oracleMcqAccuracy = (100 * demoTestMcqItems.filter(answersRight).length) / demoTestMcqItems.length;
/** The whole expected result of an oracle run on the hidden split (the scorer applied to the oracle's outputs). */
export const oracleExpected = aggregateRun(demoTestItems.map((i) => scoreItem(i, oracleOutput(i))));
