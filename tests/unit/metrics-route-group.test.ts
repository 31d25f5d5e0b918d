import { describe, expect, it } from 'vitest';
import { routeGroup } from '../../workers/metrics';

describe('routeGroup (the bounded route label of web request metrics)', () => {
  it.each([
    ['/', '/'],
    ['/runs/42', '/runs/:n'],
    ['/runs/42/events', '/runs/:n'],
    ['/api/runs/17', '/api/runs'],
    ['/api/leaderboard/SpineBench-Synth%401.0.0', '/api/leaderboard'],
    ['/leaderboard/SpineBench-Synth%401.0.0', '/leaderboard'],
    ['/images/abc123', '/images'],
    ['/maintainer/releases', '/maintainer/releases'],
  ])('%s → %s', (path, group) => expect(routeGroup(path)).toBe(group));
});
