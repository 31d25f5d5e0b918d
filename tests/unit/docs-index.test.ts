import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const DIR = 'docs/decisions';

describe('decision record index', () => {
  const records = readdirSync(DIR).filter((f) => /^\d{3}-.+\.md$/.test(f));
  const index = readFileSync(`${DIR}/README.md`, 'utf8');
  const linked = [...index.matchAll(/\]\((\d{3}-[^)]+\.md)\)/g)].map((m) => m[1]);

  it('links every record once, and only records that exist', () => {
    expect([...linked].sort()).toEqual([...records].sort());
  });

  it('has no two records with the same number', () => {
    const numbers = records.map((f) => f.slice(0, 3));
    expect(new Set(numbers).size).toBe(numbers.length);
  });
});
