/** Turns a ModelPrompt into Hugging Face chat messages (the shape chat templates expect). Pure. */
import type { ModelPrompt } from '../adapters/types';

export type ChatPart = { type: 'text'; text: string } | { type: 'image' };
export interface ChatMessage {
  role: 'system' | 'user';
  content: string | ChatPart[];
}

/** System turn (when non-empty), then one user turn: the text, then one image part per image. */
export function promptToChatMessages(prompt: ModelPrompt): ChatMessage[] {
  const messages: ChatMessage[] = [];
  if (prompt.system.trim() !== '') messages.push({ role: 'system', content: prompt.system });
  if (prompt.images.length === 0) {
    messages.push({ role: 'user', content: prompt.text });
  } else {
    messages.push({ role: 'user', content: [{ type: 'text', text: prompt.text }, ...prompt.images.map((): ChatPart => ({ type: 'image' }))] });
  }
  return messages;
}
