import { describe, expect, it } from 'vitest';
import type { Item, McqItem } from '../../../benchmark/item-schema';
import type { ModelAdapter, ModelPrompt } from '../../../evaluator/adapters/types';
import { evaluateDevSplit } from '../../../evaluator/cli/evaluate-dev-split';
import { EvaluationError } from '../../../evaluator/errors';
import { judgeIdentity } from '../../../evaluator/judge/config';
import type { JudgeOutcome } from '../../../evaluator/judge/client';
import { buildPrompt } from '../../../evaluator/prompt';
import { aggregateRun, REPORT_DIMENSIONS, scoreItem, scoreRubric } from '../../../evaluator/scoring';
import { makeMcqItem, makeReportItem } from '../../support/scoring-fixtures';

const png = { data: new Uint8Array([0x89, 0x50, 0x4e, 0x47]), mimeType: 'image/png' as const };
const loadImage = async () => png;

/** An adapter that answers from a table keyed by the prompt's first line, with a small per-call delay. */
function tableAdapter(answers: Map<string, string | Error>, delayMs = 5) {
  const prompts: ModelPrompt[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const adapter: ModelAdapter = {
    async generate(prompt) {
      prompts.push(prompt);
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      await new Promise((r) => setTimeout(r, delayMs));
      inFlight--;
      const answer = answers.get(prompt.text.split('\n')[0]);
      if (answer instanceof Error) throw answer;
      return answer ?? 'no idea';
    },
    async close() {},
  };
  return { adapter, prompts, maxInFlight: () => maxInFlight };
}

const mcqs: McqItem[] = Array.from({ length: 8 }, (_, i) =>
  makeMcqItem({ id: `dev-${i}`, question: `Question ${i}: which level?`, inputKind: i % 2 ? 'text' : 'image', images: i % 2 ? [] : makeMcqItem().images }),
);

describe('evaluateDevSplit', () => {
  it('sends the platform prompt, scores with the platform scorer and keeps item order', async () => {
    const answers = new Map<string, string | Error>(mcqs.map((m, i) => [m.question, i < 5 ? m.answer : 'A']));
    const { adapter, prompts } = tableAdapter(answers);
    const run = await evaluateDevSplit({ items: mcqs, loadImage, adapter, concurrency: 3 });

    expect(run.results.map((r) => r.item.id)).toEqual(mcqs.map((m) => m.id));
    const expectedScores = mcqs.map((m, i) => scoreItem(m, i < 5 ? m.answer : 'A'));
    expect(run.results.map((r) => r.score)).toEqual(expectedScores);
    expect(run.aggregate).toEqual(aggregateRun(expectedScores));
    expect(run.aggregate.mcq?.score).toBe((100 * 5) / 8);
    const sent = prompts.find((p) => p.text.startsWith(mcqs[0].question))!;
    expect(sent).toEqual(buildPrompt(mcqs[0], [png]));
  });

  it('keeps a failed item as no output with its error and goes on', async () => {
    const answers = new Map<string, string | Error>([[mcqs[2].question, new EvaluationError('timeout', 'The endpoint did not answer in time.')]]);
    answers.set(mcqs[3].question, mcqs[3].answer);
    const run = await evaluateDevSplit({ items: mcqs.slice(0, 4), loadImage, adapter: tableAdapter(answers).adapter, concurrency: 2 });
    expect(run.errorCount).toBe(1);
    expect(run.results[2]).toMatchObject({ rawOutput: null, error: { code: 'timeout' }, score: { noOutput: true, score: 0 } });
    expect(run.results[3]).toMatchObject({ error: null, score: { score: 1 } });
  });

  it('never has more than `concurrency` items in flight and reports progress for each', async () => {
    const { adapter, maxInFlight } = tableAdapter(new Map(), 15);
    const seen: number[] = [];
    await evaluateDevSplit({ items: mcqs, loadImage, adapter, concurrency: 3, onProgress: (done, total) => (seen.push(done), expect(total).toBe(8)) });
    expect(maxInFlight()).toBe(3);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('refuses hidden-split items', async () => {
    const hidden: Item[] = [makeMcqItem({ id: 't-1', split: 'test' })];
    await expect(evaluateDevSplit({ items: hidden, loadImage, adapter: tableAdapter(new Map()).adapter, concurrency: 1 })).rejects.toThrow(/dev-split items only/);
  });

  it('stops when aborted and rejects with the reason', async () => {
    const controller = new AbortController();
    const { adapter, prompts } = tableAdapter(new Map(), 20);
    const run = evaluateDevSplit({ items: mcqs, loadImage, adapter, concurrency: 1, signal: controller.signal, onProgress: (done) => done === 2 && controller.abort(new Error('stop')) });
    await expect(run).rejects.toThrow('stop');
    expect(prompts.length).toBeLessThan(mcqs.length);
  });

  it('judges generated reports with the given judge and uses its score', async () => {
    const report = makeReportItem({ id: 'dev-r' });
    const rubric = scoreRubric(Object.fromEntries(REPORT_DIMENSIONS.map((d) => [d, 4])) as never);
    const outcome: JudgeOutcome = {
      status: 'scored',
      judge: judgeIdentity({ model: 'judge', modelVersion: 'v1' }),
      attempts: 1,
      rubric,
      rationales: Object.fromEntries(REPORT_DIMENSIONS.map((d) => [d, 'ok'])) as never,
      servedModel: 'judge',
    };
    const judged: string[] = [];
    const run = await evaluateDevSplit({
      items: [report, mcqs[0]],
      loadImage,
      adapter: tableAdapter(new Map([[report.caseHistory, 'L4-L5 disc extrusion.']])).adapter,
      concurrency: 2,
      judge: async (item, text) => (judged.push(`${item.id}:${text}`), outcome),
    });
    expect(judged).toEqual(['dev-r:L4-L5 disc extrusion.']);
    expect(run.results[0].score).toMatchObject({ method: 'judge', score: rubric.score });
    expect(run.aggregate.reportMethod).toBe('judge');
    expect(run.aggregate.parts.report?.score).toBe(rubric.score);
  });
});
