/**
 * The one evaluation step the platform's shards (workers/process-shard.ts) and the local CLI
 * (evaluator/cli/evaluate-dev-split.ts) share: images → prompt → generate → the answer as it is scored and
 * stored. Scorers run on the stored text, so re-scoring later reads exactly what was scored.
 */
import type { Item } from '../benchmark/item-schema';
import type { ModelAdapter, PromptImageLoader } from './adapters/types';
import { buildPrompt } from './prompt';

/** Longest answer kept (characters): an MCQ answer or a full report fits many times over; a 3 MB answer does not. */
export const MAX_STORED_OUTPUT_CHARS = 32_768;

/**
 * The model's answer as the platform keeps it: well-formed Unicode (a lone surrogate such as "\ud800" becomes
 * U+FFFD, which PostgreSQL's jsonb would otherwise refuse) and at most MAX_STORED_OUTPUT_CHARS, marked where
 * cut. Pure.
 */
export function storedAnswer(raw: string): string {
  const text = wellFormed(raw);
  if (text.length <= MAX_STORED_OUTPUT_CHARS) return text;
  // Never cut between the halves of a surrogate pair.
  const end = /[\uD800-\uDBFF]/.test(text[MAX_STORED_OUTPUT_CHARS - 1]) ? MAX_STORED_OUTPUT_CHARS - 1 : MAX_STORED_OUTPUT_CHARS;
  const cut = text.slice(0, end);
  return `${cut}\n[… answer cut: ${text.length - cut.length} more characters not kept]`;
}

/** Lone surrogates replaced by U+FFFD (String.prototype.toWellFormed, which this project's TypeScript lib lacks). */
export function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** Asks the model one item and returns its answer as stored and scored. */
export async function generateAnswer(adapter: ModelAdapter, item: Item, loadImage: PromptImageLoader, signal: AbortSignal): Promise<string> {
  const images = await Promise.all(item.images.map(loadImage));
  return storedAnswer(await adapter.generate(buildPrompt(item, images), signal));
}
