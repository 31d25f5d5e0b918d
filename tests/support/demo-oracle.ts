import { createHash } from 'node:crypto';
import type { McqItem } from '../../benchmark/item-schema';
import { loadReleaseFolder } from '../../benchmark/release';
import { DEMO_RELEASE_DIR } from './demo-release';

/**
 * A stand-in team model for the demo release: it answers right when the question's hash is even, wrong
 * otherwise, so the expected score of a run is known in advance and independent of scheduling.
 */
const loaded = await loadReleaseFolder(DEMO_RELEASE_DIR);
export const demoManifest = loaded.manifest;
export const demoItems = loaded.items;
export const demoTestItems = loaded.items.filter((i) => i.split === 'test');
export const demoTestMcqItems = demoTestItems.filter((i): i is McqItem => i.task === 'mcq');
export const DEMO_RELEASE = `${loaded.manifest.name}@${loaded.manifest.version}`;

const answersRight = (item: McqItem) => createHash('sha256').update(item.id).digest()[0] % 2 === 0;

export function oracleAnswer(userText: string): string {
  const item = demoItems.find((i) => i.task === 'mcq' && userText.startsWith(i.question)) as McqItem | undefined;
  if (!item) return 'I do not know';
  if (answersRight(item)) return `Answer: ${item.answer}`;
  return (['A', 'B', 'C', 'D', 'E'] as const).find((l) => l !== item.answer && item.options[l] !== undefined)!;
}

export const oracleExpectedMcqAccuracy = (100 * demoTestMcqItems.filter(answersRight).length) / demoTestMcqItems.length;
