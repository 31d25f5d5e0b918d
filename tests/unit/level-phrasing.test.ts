import { describe, expect, it } from 'vitest';
import { parseLevels } from '../../benchmark/levels';
import { scoreLevelSets } from '../../evaluator/scoring/level-score';

/**
 * Classes of clinical phrasing the shared parser reads (issue 12 item 6, docs/decisions/128). Each class has its
 * own table; English and Chinese where the class exists in Chinese.
 */
const table = (rows: Array<[string, string[]]>) => it.each(rows)('%s → %j', (text, expected) => expect(parseLevels(text)).toEqual(expected));

describe('anatomical names for junctions and single vertebrae', () => {
  table([
    ['disc bulge at the lumbosacral junction', ['L5-S1']],
    ['lumbo-sacral disc degeneration', ['L5-S1']],
    ['burst fracture at the thoracolumbar junction', ['T12-L1']],
    ['kyphosis across the cervicothoracic junction', ['C7-T1']],
    ['atlantoaxial instability in rheumatoid arthritis', ['C1-C2']],
    ['Jefferson fracture of the atlas', ['C1']],
    ['atlas and axis both intact', ['C1', 'C2']],
    ['type II odontoid fracture', ['C2']],
    ['compression of the fourth lumbar vertebra', ['L4']],
    ['wedge fracture of the twelfth thoracic vertebral body', ['T12']],
    ['the 5th lumbar and 1st sacral vertebrae', ['L5', 'S1']],
    ['the fourth and fifth lumbar vertebrae', ['L4', 'L5']],
    ['disc between the fourth and fifth lumbar vertebrae', ['L4-L5']],
    ['fusion from the fourth lumbar to the first sacral vertebra', ['L4-L5', 'L5-S1']],
    ['the long axis of the spine', []],
    ['腰骶段椎间盘突出', ['L5-S1']],
    ['胸腰段骨折', ['T12-L1']],
    ['颈胸交界处后凸', ['C7-T1']],
    ['寰枢关节半脱位', ['C1-C2']],
    ['寰椎骨折', ['C1']],
    ['枢椎齿状突骨折', ['C2']],
    ['第四腰椎滑脱', ['L4']],
    ['第十二胸椎压缩骨折', ['T12']],
    ['第一骶椎', ['S1']],
  ]);
});

describe('a space between the letter and the number, and on both sides of a range', () => {
  table([
    ['L 4', ['L4']],
    ['stenosis at L 4 - L 5', ['L4-L5']],
    ['C 5 / 6 disc', ['C5-C6']],
    ['T 12 - L 1 fracture', ['T12-L1']],
    ['L 5 - S 1', ['L5-S1']],
    ['L4 - L5', ['L4-L5']],
    ['L3 – 5 decompression', ['L3-L4', 'L4-L5']],
    ['腰4 / 5', ['L4-L5']],
    ['腰 4 - 腰 5', ['L4-L5']],
    ['sagittal T 2 image', []],
  ]);
});

describe('shorthand continuation', () => {
  table([
    ['C5/6 and 6/7', ['C5-C6', 'C6-C7']],
    ['L4-5 and 5-S1', ['L4-L5', 'L5-S1']],
    ['L3/4, 4/5 and 5/S1', ['L3-L4', 'L4-L5', 'L5-S1']],
    ['C4-5, 5-6, 6-7 disc bulges', ['C4-C5', 'C5-C6', 'C6-C7']],
    ['T11/12 and 12/L1', ['T11-T12', 'T12-L1']],
    ['腰3/4、4/5椎间盘突出', ['L3-L4', 'L4-L5']],
    ['颈4/5、5/6及6/7', ['C4-C5', 'C5-C6', 'C6-C7']],
    ['腰4/5和5/骶1', ['L4-L5', 'L5-S1']],
    ['L4-5 and 6-8 weeks of rest', ['L4-L5']],
    ['C5/6 and 5 mm', ['C5-C6']],
  ]);
});

describe('chained segments and spans with from/to/through', () => {
  table([
    ['C4-C5-C6 discectomy', ['C4-C5', 'C5-C6']],
    ['L3-4-5 stenosis', ['L3-L4', 'L4-L5']],
    ['C3/C4/C5', ['C3-C4', 'C4-C5']],
    ['颈4-5-6', ['C4-C5', 'C5-C6']],
    ['laminectomy from L2 through L5', ['L2-L3', 'L3-L4', 'L4-L5']],
    ['fusion L2 down to L4', ['L2-L3', 'L3-L4']],
    ['instrumented from L4 to the sacrum', ['L4-L5', 'L5-S1']],
    ['C3 thru C6 laminoplasty', ['C3-C4', 'C4-C5', 'C5-C6']],
    ['从腰2到腰5减压', ['L2-L3', 'L3-L4', 'L4-L5']],
    ['腰3至骶1融合', ['L3-L4', 'L4-L5', 'L5-S1']],
  ]);
});

describe('sacral levels beyond S1 and transitional anatomy', () => {
  table([
    ['S2 alar-iliac screws', ['S2']],
    ['bilateral S2AI screws at S 2', ['S2']],
    ['S3 foramen', ['S3']],
    ['sacral insufficiency fracture through S2 and S3', ['S2', 'S3']],
    ['第二骶椎', ['S2']],
    ['骶2椎体', ['S2']],
    ['transitional L6 vertebra', ['L6']],
    ['L6-S1 disc', ['L6-S1']],
    ['sacralised L5', ['L5']],
  ]);

  // Equivalent: one side numbers the spine with a sixth lumbar vertebra, the other with five.
  it.each<[string[], string[], string]>([
    [['L5-S1'], ['L6-S1'], 'equivalent'], // the lumbosacral disc either way
    [['L4-L5'], ['L5-L6'], 'equivalent'], // counted from the sacrum
    [['L5-S1'], ['L5-L6'], 'equivalent'], // counted from the top: the sixth is a lumbarised S1
    [['L5'], ['L6'], 'equivalent'],
    [['L4-L5', 'L5-S1'], ['L5-L6', 'L6-S1'], 'equivalent'],
    [['L5-L6'], ['L6-S1'], 'off_by_one'], // both count six lumbar vertebrae: a real wrong level
    [['L3-L4'], ['L4-L5'], 'off_by_one'], // no transitional anatomy
    [['L3-L4'], ['L6-S1'], 'worse'],
  ])('%j for truth %j is %s', (predicted, truth, expected) => {
    expect(scoreLevelSets(predicted, truth).errorClass).toBe(expected);
    expect(scoreLevelSets(truth, predicted).errorClass).toBe(expected);
  });
});
