import { describe, expect, it } from 'vitest';
import { MAX_STORED_OUTPUT_CHARS, storedAnswer, wellFormed } from '../../evaluator/evaluate-item';

describe('storedAnswer: what is kept of a model answer', () => {
  it('replaces lone surrogates, keeps pairs', () => {
    expect(wellFormed('A\ud800B')).toBe('A\uFFFDB');
    expect(wellFormed('\udc00x')).toBe('\uFFFDx');
    expect(wellFormed('ok 😀')).toBe('ok 😀');
    expect(JSON.parse(JSON.stringify({ a: storedAnswer('Answer: B \ud800') })).a).toBe('Answer: B \uFFFD');
  });

  it('caps a huge answer and says how much was cut, never splitting a pair', () => {
    const huge = 'x'.repeat(MAX_STORED_OUTPUT_CHARS - 1) + '😀' + 'y'.repeat(3_000_000);
    const kept = storedAnswer(huge);
    expect(kept.length).toBeLessThan(MAX_STORED_OUTPUT_CHARS + 100);
    expect(kept).toMatch(/\[… answer cut: \d+ more characters not kept\]$/);
    expect(wellFormed(kept)).toBe(kept);
    expect(storedAnswer('short')).toBe('short');
  });
});

describe('loggableMessage: log lines never carry a failed query\'s parameters', () => {
  it('reports the database cause, not the SQL or its params', async () => {
    const { loggableMessage } = await import('../../log/safe-error');
    const cause = Object.assign(new Error('unsupported Unicode escape sequence'), { code: '22P05' });
    const failed = new Error('Failed query: insert into "item_results" values ($1, $2)\nparams: 17,Answer: hidden-item-q42', { cause });
    expect(loggableMessage(failed)).toBe('database query failed (22P05): unsupported Unicode escape sequence');
    expect(loggableMessage(new Error('plain'))).toBe('plain');
  });
});
