import { describe, expect, it } from 'vitest';
import { nameKey } from '../../app/auth/name-key';

describe('nameKey', () => {
  it('gives look-alikes of a name the name’s key', () => {
    const key = nameKey('Victim Lab');
    for (const lookAlike of [
      'Vіctim Lab', // Cyrillic і
      'VICTIM LAB',
      'victim lab',
      'Ｖｉｃｔｉｍ Ｌａｂ', // full width
      'Victim\u200b Lab', // zero-width space
      'Vic\u00adtim Lab', // soft hyphen
      'Victim\u202e Lab', // bidi override
      'Victim  Lab',
      'Victim_Lab',
      'Vict1m Lab', // digit one
      'VΙctim Lab', // Greek capital iota
    ]) {
      expect(nameKey(lookAlike), lookAlike).toBe(key);
    }
  });

  it('keeps different names apart, and keeps "/" in Hugging Face-style ids', () => {
    expect(nameKey('Victim Lab')).not.toBe(nameKey('Victor Lab'));
    expect(nameKey('Qwen/Qwen2.5-VL-7B-Instruct')).toBe(nameKey('qwen/qwen2.5 vl 7b instruct'));
    expect(nameKey('Qwen/Qwen2.5-VL-7B-Instruct')).not.toBe(nameKey('Qwen/Qwen2.5-VL-72B-Instruct'));
    expect(nameKey('腰椎 Lab')).toBe('腰椎 lab');
  });
});
