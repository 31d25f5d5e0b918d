import { createHash } from 'node:crypto';
import { buildDemoRelease } from '../../benchmark/demo-release';
import type { McqItem } from '../../benchmark/item-schema';

/**
 * A stand-in team model for the demo release: it answers right when the question's hash is even, wrong
 * otherwise, so the expected score of a run is known in advance and independent of scheduling.
 */
export const demo = buildDemoRelease();
export const demoTestItems = demo.items.filter((i) => i.split === 'test') as McqItem[];
export const DEMO_RELEASE = `${demo.manifest.name}@${demo.manifest.version}`;

const answersRight = (item: McqItem) => createHash('sha256').update(item.question).digest()[0] % 2 === 0;

export function oracleAnswer(userText: string): string {
  const item = demo.items.find((i) => userText.startsWith(i.question));
  if (!item || item.task !== 'mcq') return 'I do not know';
  if (answersRight(item)) return `Answer: ${item.answer}`;
  return (['A', 'B', 'C', 'D', 'E'] as const).find((l) => l !== item.answer)!;
}

export const oracleExpectedTestScore = (100 * demoTestItems.filter(answersRight).length) / demoTestItems.length;
