import { describe, expect, it } from 'vitest';
import type { LeaderboardEntry } from '../../../db/queries/leaderboard';
import { boardSearch, buildBoardTable, parseBoardQuery } from '../../../app/utils/board-table';

function entry(modelName: string, score: number, parametersB: number | null, weights: 'open' | 'closed' | null, rank: number): LeaderboardEntry {
  return {
    rank, rankLow: rank, rankHigh: rank, stale: false, runId: rank, modelId: rank, modelName, teamName: `${modelName} team`, isBaseline: false,
    runBy: 'self-hosted', parametersB, weights, score, ci: [score - 2, score + 2],
    parts: { text_mcq: null, image_mcq: null, report: null }, reportMethod: null, judge: null, nItems: 100,
    evaluatedAt: '2026-12-01T00:00:00.000Z', scorerVersion: 's@1', views: null, reportDeterministic: null, levels: null,
    moderation: { verified: false, flagReason: null },
  } as LeaderboardEntry;
}

const entries = [entry('big-closed', 80, 70, 'closed', 1), entry('mid-open', 70, 7.6, 'open', 2), entry('small-open', 60, 2, 'open', 3), entry('no-card', 50, null, null, 4)];
const names = (search: string) => buildBoardTable(entries, parseBoardQuery('overview', new URLSearchParams(search))!).rows.map((r) => r.modelName);

describe('board filters and sort from the model card', () => {
  it('keeps open-weight models, or models up to a size; a card that does not say is left out of either', () => {
    expect(names('')).toEqual(['big-closed', 'mid-open', 'small-open', 'no-card']);
    expect(names('weights=open')).toEqual(['mid-open', 'small-open']);
    expect(names('maxb=8')).toEqual(['mid-open', 'small-open']);
    expect(names('maxb=3&weights=open')).toEqual(['small-open']);
    // Only the offered limits count; anything else means any size.
    expect(names('maxb=5')).toEqual(names(''));
  });

  it('sorts by size, unknown sizes last, and keeps the filters in sort links', () => {
    expect(names('sort=size')).toEqual(['big-closed', 'mid-open', 'small-open', 'no-card']);
    expect(names('sort=size&dir=asc')).toEqual(['small-open', 'mid-open', 'big-closed', 'no-card']);
    const query = parseBoardQuery('overview', new URLSearchParams('weights=open&maxb=15'))!;
    expect(boardSearch({ ...query, sort: 'size', dir: 'desc' })).toBe('?weights=open&maxb=15&sort=size');
  });
});
