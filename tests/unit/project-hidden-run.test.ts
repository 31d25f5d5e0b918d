import { describe, expect, it } from 'vitest';
import { fitLayers, parseMeasured, projectHiddenRun } from '../../perf/project-hidden-run';

describe('projecting a 7B hidden-split run from few-layer decoders', () => {
  it('fits ms/token = base + per-layer × layers through the measurements (the H200 numbers: 7.2 ms at 2, 12.8 ms at 6)', () => {
    const fit = fitLayers([{ layers: 2, msPerToken: 7.2 }, { layers: 6, msPerToken: 12.8 }]);
    expect(fit.perLayerMs).toBeCloseTo(1.4, 10);
    expect(fit.baseMs).toBeCloseTo(4.4, 10);
  });

  it('projects 28 layers over the paper split: 487 MCQ × 16 + 87 reports × 512 tokens', () => {
    const run = projectHiddenRun({ baseMs: 4.4, perLayerMs: 1.4 }, 28, 16, 512);
    expect(run.tokens).toBe(487 * 16 + 87 * 512);
    expect(run.msPerToken).toBeCloseTo(43.6, 10);
    expect(run.seconds).toBeCloseTo((52336 * 43.6) / 1000, 6);
  });

  it('reads layers=tokens/s pairs and names a bad one', () => {
    expect(parseMeasured('2=125,6=80')).toEqual([{ layers: 2, msPerToken: 8 }, { layers: 6, msPerToken: 12.5 }]);
    expect(() => parseMeasured('2=125,six=80')).toThrow(/"six=80" is not LAYERS=TOKENS_PER_SECOND/);
    expect(() => fitLayers([{ layers: 2, msPerToken: 1 }])).toThrow(/two or more layer counts/);
  });
});
