import type { ImageRef } from '../../benchmark/item-schema';

/** What every model adapter (endpoint, ONNX) receives and returns, independent of transport. */

export interface PromptImage {
  /** PNG or JPEG bytes. */
  data: Uint8Array;
  mimeType: 'image/png' | 'image/jpeg';
}

export interface ModelPrompt {
  system: string;
  /** The user turn: text, then the images in order. */
  text: string;
  images: PromptImage[];
}

export interface ModelAdapter {
  /** Generates one answer. Must honour `signal` (abort = stop, throw). Throws an EvaluationError on failure. */
  generate(prompt: ModelPrompt, signal?: AbortSignal): Promise<string>;
  close(): Promise<void>;
  /** Calls it serves best at once (an ONNX runner's batch size); a shard issues at least this many. */
  parallelCalls?: number;
}

/** Reads one image of an item, from wherever the caller keeps release images. */
export type PromptImageLoader = (ref: ImageRef) => Promise<PromptImage>;
