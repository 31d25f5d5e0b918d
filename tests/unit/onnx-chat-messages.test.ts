import { describe, expect, it } from 'vitest';
import { promptToChatMessages } from '../../evaluator/onnx/chat-messages';

const image = { data: new Uint8Array([1]), mimeType: 'image/png' as const };

describe('promptToChatMessages', () => {
  it('puts the system turn first, then the text and one image part per image, in order', () => {
    expect(promptToChatMessages({ system: 'Be brief.', text: 'Which level?', images: [image, image] })).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: [{ type: 'text', text: 'Which level?' }, { type: 'image' }, { type: 'image' }] },
    ]);
  });

  it('drops an empty system turn and keeps a text-only user turn a plain string', () => {
    expect(promptToChatMessages({ system: '  ', text: '腰4/5?', images: [] })).toEqual([{ role: 'user', content: '腰4/5?' }]);
  });
});
