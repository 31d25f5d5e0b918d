import { describe, expect, it } from 'vitest';
import { checkReport } from '../../../evaluator/scoring/report-check';
import { detectReportSections } from '../../../evaluator/scoring/report-sections';
import { makeReportItem } from '../../support/scoring-fixtures';

const item = makeReportItem();

const FULL_REPORT = `## Structured findings
- L4-L5: large left disc extrusion compressing the traversing nerve root (L5).
- L5/S1: disc desiccation without herniation.

## Diagnosis
Lumbar disc herniation at L4-5 with left L5 radiculopathy.

## Treatment advice
Conservative care for six weeks, then microdiscectomy if weakness progresses.

## Risk and prognosis
Good prognosis; recurrence in 5-10%.

## Post-operative management
Early walking; avoid lifting for six weeks.

## Diagnostic basis
Dermatomal pain matches the imaging.`;

describe('checkReport (deterministic, no judge)', () => {
  it('gives full marks to a report with every finding at the right level and all six sections', () => {
    const check = checkReport(item, FULL_REPORT);
    expect(check.method).toBe('deterministic');
    expect(check.coverage).toMatchObject({ total: 2, covered: 2, wrongLevel: 0, rate: 1 });
    expect(check.inventedLevels).toEqual([]);
    expect(Object.values(check.sections).every(Boolean)).toBe(true);
    expect(check.score).toBeCloseTo(100, 10);
    expect(check.levels?.errorClass).toBe('off_by_one'); // also names the L5 root, beside the two discs
  });

  it('flags a finding at the wrong level and the invented level', () => {
    const check = checkReport(item, 'Findings: disc extrusion compressing the nerve root at L3-L4. Disc desiccation at L5-S1.');
    expect(check.coverage.findings).toEqual([
      { index: 0, status: 'wrong_level' },
      { index: 1, status: 'covered' },
    ]);
    expect(check.inventedLevels).toEqual(['L3-L4']);
    // coverage (1 + 0.25 for the wrong-level finding) / 2, sections 1/6 (findings), 1 of 2 named levels known
    expect(check.score).toBeCloseTo(100 * (0.5 * (1.25 / 2) + 0.3 * (1 / 6) + 0.2 * 0.5), 10);
  });

  it('reads a Chinese report', () => {
    const zh = makeReportItem({
      language: 'zh',
      keyFindings: [{ finding: '腰4/5椎间盘突出，压迫神经根', levels: ['L4-L5'] }],
    });
    const report = [
      '一、影像所见：腰4-5椎间盘向左后方突出，压迫左侧神经根。',
      '二、诊断：腰4/5椎间盘突出症。',
      '三、治疗建议：保守治疗六周。',
      '四、风险与预后：预后良好。',
      '五、术后管理：早期下地活动。',
      '六、诊断依据：症状与影像相符。',
    ].join('\n');
    const check = checkReport(zh, report);
    expect(check.coverage.covered).toBe(1);
    expect(Object.values(check.sections).every(Boolean)).toBe(true);
    expect(check.inventedLevels).toEqual([]);
  });

  it('scores an empty report 0 but not as a failure (naming no level earns nothing, decision 127)', () => {
    const check = checkReport(item, '');
    expect(check.coverage.covered).toBe(0);
    expect(check.namedLevels).toEqual([]);
    expect(check.score).toBe(0);
    expect(check.levels?.errorClass).toBe('no_level');
  });

  it('does not quote the key findings in its result', () => {
    const check = checkReport(item, FULL_REPORT);
    expect(JSON.stringify(check)).not.toContain('compressing');
  });
});

describe('detectReportSections', () => {
  it.each([
    ['Diagnosis: L4-L5 herniation', 'diagnosis'],
    ['**Diagnostic basis**', 'diagnosticBasis'],
    ['### 3. Treatment Recommendations', 'treatmentAdvice'],
    ['Post-operative management:', 'postoperativeManagement'],
    ['诊断依据：', 'diagnosticBasis'],
    ['（二）诊断', 'diagnosis'],
    ['Prognosis', 'riskPrognosis'],
    ['IMAGING FINDINGS', 'structuredFindings'],
  ] as const)('%j is the %s heading', (line, section) => {
    const found = detectReportSections(line);
    expect(Object.entries(found).filter(([, v]) => v).map(([k]) => k)).toEqual([section]);
  });

  it('does not take prose for a heading', () => {
    const found = detectReportSections('The diagnosis is clear from the imaging, and treatment should start soon because the risk is high.');
    expect(Object.values(found).some(Boolean)).toBe(false);
  });
});
