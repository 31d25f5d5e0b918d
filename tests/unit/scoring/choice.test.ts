import { describe, expect, it } from 'vitest';
import { extractChoice, type ChoiceExtraction, type ChoiceOptions } from '../../../evaluator/scoring/choice';

const LEVELS: ChoiceOptions = { A: 'L3-L4', B: 'L4-L5', C: 'L5-S1', D: 'L2-L3' };
const PATHOLOGY: ChoiceOptions = {
  A: 'Disc herniation',
  B: 'Spinal stenosis',
  C: 'Spondylolisthesis',
  D: 'Vertebral compression fracture',
};
const ZH: ChoiceOptions = { A: '腰椎间盘突出症', B: '腰椎管狭窄症', C: '腰椎滑脱症', D: '椎体压缩性骨折' };
const VERTEBRA: ChoiceOptions = { A: 'L4', B: 'L4-L5', C: 'L5', D: 'S1' };
const FOUR: ChoiceOptions = { A: 'Yes, surgery is indicated', B: 'No', C: 'Only after 6 weeks', D: 'Never' };

type Expected = 'A' | 'B' | 'C' | 'D' | 'E' | 'ambiguous' | 'none';
const cases: Array<[string, ChoiceOptions, Expected]> = [
  // plain letters and wrappers
  ['B', LEVELS, 'B'],
  ['b', LEVELS, 'B'],
  ['(B)', LEVELS, 'B'],
  ['B.', LEVELS, 'B'],
  ['B)', LEVELS, 'B'],
  ['[C]', LEVELS, 'C'],
  ['**B**', LEVELS, 'B'],
  ['`D`', LEVELS, 'D'],
  ['  \n B \n', LEVELS, 'B'],
  ['"A"', LEVELS, 'A'],
  ['Ｂ', LEVELS, 'B'],
  ['（Ｃ）', LEVELS, 'C'],
  ['Ⓑ', LEVELS, 'B'],
  ['B\u200B', LEVELS, 'B'],
  // answer phrases
  ['Answer: B', LEVELS, 'B'],
  ['answer: c', LEVELS, 'C'],
  ['**Answer:** C', LEVELS, 'C'],
  ['Answer:\n\n(D)', LEVELS, 'D'],
  ['The answer is B) L4-L5', LEVELS, 'B'],
  ['The correct answer is (A) L3-L4.', LEVELS, 'A'],
  ['Final answer: B', LEVELS, 'B'],
  ['The correct option is C, because the S1 nerve root is compressed.', LEVELS, 'C'],
  ['I would choose B.', LEVELS, 'B'],
  ["I'd go with option D here.", LEVELS, 'D'],
  ['Looking at the sagittal T2 image, the disc bulges posteriorly at L4-L5 and compresses the thecal sac. Option A (L3-L4) looks normal and option C shows only mild desiccation. Therefore, the answer is B.', LEVELS, 'B'],
  ['Step 1: identify the sacrum. Step 2: count upwards.\nThe herniation sits one level above the sacrum.\n\nFinal answer: \\boxed{B}', LEVELS, 'B'],
  ['B is correct: the L4-L5 disc is extruded.', LEVELS, 'B'],
  ['Option A is incorrect. Option B is correct.', LEVELS, 'B'],
  ['The answer is not A, it is B.', LEVELS, 'B'],
  ['Grade A evidence supports option C', LEVELS, 'C'],
  ["It's C.", LEVELS, 'C'],
  ['<think>Maybe A? No, the image shows L4-L5... could be C. Let me recount.</think>\nAnswer: B', LEVELS, 'B'],
  ['B. The lesion is at the L4-L5 level, where the disc herniates to the left.', LEVELS, 'B'],
  ['C - spondylolisthesis grade I', PATHOLOGY, 'C'],
  ['B L4-L5', LEVELS, 'B'],
  ['Answer: B\n\nExplanation: (A) is wrong because the L3-L4 disc is intact; (C) is wrong because S1 is normal.', LEVELS, 'B'],
  ['The answer is B. The answer is B.', LEVELS, 'B'],
  // option text instead of a letter
  ['L4-L5', LEVELS, 'B'],
  ['L5-S1.', LEVELS, 'C'],
  ['The answer is L4-L5.', LEVELS, 'B'],
  ['Spinal stenosis', PATHOLOGY, 'B'],
  ['spondylolisthesis', PATHOLOGY, 'C'],
  ['The most likely diagnosis is a vertebral compression fracture.', PATHOLOGY, 'D'],
  ['A herniated disc at L4-L5 is the most likely cause.', LEVELS, 'B'],
  ['L4-L5', VERTEBRA, 'B'],
  ['L4', VERTEBRA, 'A'],
  ['No', FOUR, 'B'],
  // Chinese
  ['答案：B', ZH, 'B'],
  ['答案是C', ZH, 'C'],
  ['选B', ZH, 'B'],
  ['正确答案为 D。', ZH, 'D'],
  ['根据影像表现，腰4/5椎间盘向后突出，压迫硬膜囊，故选A。', ZH, 'A'],
  ['腰椎管狭窄症', ZH, 'B'],
  ['答案：Ｂ', ZH, 'B'],
  ['B项正确', ZH, 'B'],
  // refuses to guess: several letters
  ['A or B', LEVELS, 'ambiguous'],
  ['Answer: B or C', LEVELS, 'ambiguous'],
  ['答案：B和C', ZH, 'ambiguous'],
  ['A, B', LEVELS, 'ambiguous'],
  ['Answer: BC', LEVELS, 'ambiguous'],
  ['The answer is B. On reflection, the answer is C.', LEVELS, 'ambiguous'],
  ['A B C D', LEVELS, 'ambiguous'],
  ['A) L3-L4\nB) L4-L5\nC) L5-S1\nD) L2-L3', LEVELS, 'ambiguous'],
  ['Either L4-L5 or L5-S1 could be involved.', LEVELS, 'ambiguous'],
  ['It could be (A) or (C).', LEVELS, 'ambiguous'],
  ['A and B are both plausible', LEVELS, 'ambiguous'],
  // refuses to guess: nothing named
  ['', LEVELS, 'none'],
  ['   \n\t ', LEVELS, 'none'],
  ['I cannot determine the level from this image.', LEVELS, 'none'],
  ['None of the options is correct.', LEVELS, 'none'],
  ['A herniated disc compressing the nerve root.', LEVELS, 'none'],
  ['The answer is a herniated disc.', LEVELS, 'none'],
  ['Answer: E', LEVELS, 'none'],
  ['<think>The answer is probably B but I need to check the sacrum', LEVELS, 'none'],
  ['I need more information.', PATHOLOGY, 'none'],
  ['抱歉，我无法判断。', ZH, 'none'],
  // Unicode look-alikes: Cyrillic and Greek capitals are other letters, not options
  ['В', LEVELS, 'none'], // Cyrillic Ve
  ['Answer: А', LEVELS, 'none'], // Cyrillic A
  ['Β', LEVELS, 'none'], // Greek Beta
  ['答案：В', ZH, 'none'], // Cyrillic Ve after a Chinese answer phrase
  ['Ответ: С', LEVELS, 'none'], // Russian "Answer: Es"
  // hostile length: the decision still comes from the answer phrase
  ['The spine shows degenerative change. '.repeat(3000) + 'Answer: C', LEVELS, 'C'],
  ['A '.repeat(20000), LEVELS, 'none'], // degenerate repetition is not a readable answer
  ['(A) (B) '.repeat(5000), LEVELS, 'ambiguous'],
  // option letter outside the item's options
  ['E', { A: 'x', B: 'y' }, 'none'],
  ['E', { A: 'x', B: 'y', C: 'z', D: 'w', E: 'v' }, 'E'],
];

function expected(e: Expected): ChoiceExtraction {
  if (e === 'ambiguous' || e === 'none') return { letter: null, reason: e };
  return { letter: e, reason: 'matched' };
}

describe('extractChoice', () => {
  it('has a large table of real-looking answers', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
  });

  it.each(cases.map(([output, options, want], i) => [i, output.length > 80 ? output.slice(0, 77) + '...' : output, options, want, output] as const))(
    '#%i %j',
    (_i, _label, options, want, output) => {
      expect(extractChoice(output, options)).toEqual(expected(want));
    },
  );

  it('reads long answers in linear time', () => {
    const long = 'x'.repeat(200_000) + ' Answer: B';
    const start = performance.now();
    expect(extractChoice(long, LEVELS)).toEqual({ letter: 'B', reason: 'matched' });
    expect(performance.now() - start).toBeLessThan(2000);
  });
});
