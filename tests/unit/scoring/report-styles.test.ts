import { describe, expect, it } from 'vitest';
import { aggregateRun } from '../../../evaluator/scoring/aggregate';
import { scoreItem, withJudge } from '../../../evaluator/scoring/item-score';
import { checkReport } from '../../../evaluator/scoring/report-check';
import { MISSING_REPORT_SCORE, REPORT_DIMENSIONS, scoreRubric } from '../../../evaluator/scoring/report-rubric';
import { judgeIdentity } from '../../../evaluator/judge/config';
import { JUDGE, makeReportItem, scoredOutcome } from '../../support/scoring-fixtures';

/**
 * docs/decisions/127: a report that says nothing never outscores a real one. Each table lists report styles from
 * worst to best; styles in one tier must score the same, and every tier must score strictly above the one before.
 */
const en = makeReportItem();
const zh = makeReportItem({
  id: 'dev-report-0002',
  language: 'zh',
  question: '请为本病例撰写完整的诊断报告。',
  caseHistory: '男性，45岁，腰痛伴左下肢放射痛三个月。',
  levels: ['L4-L5'],
  keyFindings: [
    { finding: '椎间盘突出，压迫神经根', levels: ['L4-L5'] },
    { finding: '椎间盘退变脱水', levels: ['L5-S1'] },
  ],
  referenceReport: {
    structuredFindings: '腰4/5椎间盘向左后方突出，压迫左侧L5神经根；腰5骶1椎间盘退变脱水。',
    diagnosis: '腰4/5椎间盘突出症，伴左侧L5神经根病。',
    treatmentAdvice: '保守治疗六周，若神经功能障碍加重行椎间盘切除术。',
    riskPrognosis: '预后良好，复发率约5-10%。',
    postoperativeManagement: '早期下地活动，六周内避免弯腰负重。',
    diagnosticBasis: '症状与影像表现相符。',
  },
});

const EN_STYLES: Array<[tier: number, style: string, report: string]> = [
  [0, 'empty', ''],
  [0, 'one letter (the always-A baseline)', 'A'],
  [0, 'gibberish', 'qwzx blorf snarg vlimp trazz, ookle dee froo.\nzzkk mrrp.'],
  [0, 'a copy of the question', en.question],
  [0, 'a copy of the case history', en.caseHistory],
  [0, 'a template of empty headings', '## Findings\n## Diagnosis\n## Treatment advice\n## Risk and prognosis\n## Post-operative management\n## Diagnostic basis'],
  [1, 'a plausible report at the wrong level', 'Findings: disc extrusion compressing the nerve root at L2-L3. Disc desiccation at L1-L2.\nDiagnosis: lumbar disc herniation at L2-L3.'],
  [2, 'the right level, partial', 'Diagnosis: disc extrusion compressing the nerve root at L4-L5.'],
  [3, 'the right levels, findings and diagnosis', 'Findings: disc extrusion compressing the nerve root at L4-L5; disc desiccation at L5-S1.\nDiagnosis: lumbar disc herniation at L4-L5 with left L5 radiculopathy.'],
  [
    4,
    'reference-like',
    [
      '## Structured findings',
      '- L4-L5: large left disc extrusion compressing the traversing nerve root (L5).',
      '- L5/S1: disc desiccation without herniation.',
      '## Diagnosis',
      'Lumbar disc herniation at L4-5 with left L5 radiculopathy.',
      '## Treatment advice',
      'Conservative care for six weeks, then microdiscectomy if weakness progresses.',
      '## Risk and prognosis',
      'Good prognosis; recurrence in 5-10%.',
      '## Post-operative management',
      'Early walking; avoid lifting for six weeks.',
      '## Diagnostic basis',
      'Dermatomal pain matches the imaging.',
    ].join('\n'),
  ],
];

const ZH_STYLES: Array<[tier: number, style: string, report: string]> = [
  [0, 'empty', ''],
  [0, 'one letter', 'A'],
  [0, 'gibberish', '啊啊啊 哈哈 嘿嘿嘿 123 ??'],
  [0, 'a copy of the question', zh.question],
  [0, 'a copy of the case history', zh.caseHistory],
  [1, 'the wrong level', '一、影像所见：腰2/3椎间盘突出，压迫神经根。\n二、诊断：腰2/3椎间盘突出症。'],
  [2, 'the right level, partial', '二、诊断：腰4/5椎间盘突出，压迫神经根。'],
  [
    3,
    'reference-like',
    [
      '一、影像所见：腰4-5椎间盘向左后方突出，压迫左侧神经根；腰5骶1椎间盘退变脱水。',
      '二、诊断：腰4/5椎间盘突出症。',
      '三、治疗建议：保守治疗六周。',
      '四、风险与预后：预后良好。',
      '五、术后管理：早期下地活动。',
      '六、诊断依据：症状与影像相符。',
    ].join('\n'),
  ],
];

describe.each([
  ['English', en, EN_STYLES],
  ['Chinese', zh, ZH_STYLES],
] as const)('deterministic report check, %s report styles in their required order', (_, item, styles) => {
  const scored = styles.map(([tier, style, report]) => ({ tier, style, score: checkReport(item, report).score }));

  it('scores every style that says nothing 0', () => {
    for (const s of scored.filter((x) => x.tier === 0)) expect(s.score, s.style).toBe(0);
  });

  it('gives styles of one tier the same score and each tier strictly more than the one before', () => {
    const tiers = [...new Set(scored.map((s) => s.tier))].sort((a, b) => a - b);
    for (let t = 0; t < tiers.length; t++) {
      const here = scored.filter((s) => s.tier === tiers[t]);
      for (const s of here) expect(s.score, s.style).toBeCloseTo(here[0].score, 10);
      if (t === 0) continue;
      const below = Math.max(...scored.filter((s) => s.tier === tiers[t - 1]).map((s) => s.score));
      for (const s of here) expect(s.score, `${s.style} above tier ${tiers[t - 1]}`).toBeGreaterThan(below);
    }
  });

  it('gives the reference-like report at least 90', () => {
    expect(scored.at(-1)!.score).toBeGreaterThanOrEqual(90);
  });
});

describe('what a missing report is worth (decision 127)', () => {
  it('is the deterministic floor, 0, without a judge', () => {
    const missing = scoreItem(en, null);
    expect(missing.score).toBe(MISSING_REPORT_SCORE.deterministic);
    expect(aggregateRun([missing], { resamples: 50 }).parts.report!.score).toBe(0);
  });

  it('is the judge floor: the score of a report rated 1 on every dimension (20), equal to a blank report', () => {
    const allOnes = scoreRubric(Object.fromEntries(REPORT_DIMENSIONS.map((d) => [d, 1])) as Record<(typeof REPORT_DIMENSIONS)[number], number>);
    expect(MISSING_REPORT_SCORE.judge).toBe(allOnes.score);
    const judge = judgeIdentity(JUDGE);
    const missing = withJudge(scoreItem(en, null) as never, { status: 'no_report', judge, attempts: 0 });
    const blank = scoreItem(en, '   ', { judge: { status: 'no_report', judge, attempts: 0 } });
    const worst = scoreItem(en, 'A', { judge: scoredOutcome(1) });
    expect(missing.score).toBe(20);
    expect(blank.score).toBe(20);
    expect(worst.score).toBe(20);
    // in a judged run's aggregate, an item with no output at all is worth the same floor
    const agg = aggregateRun([{ ...scoreItem(en, null), itemId: 'a' }, { ...worst, itemId: 'b' }], { resamples: 50 });
    expect(agg.reportMethod).toBe('judge');
    expect(agg.parts.report!.score).toBe(20);
  });
});
