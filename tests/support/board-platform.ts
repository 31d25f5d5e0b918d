import { createHash } from 'node:crypto';
import { REPORT_DIMENSIONS } from '../../evaluator/scoring/report-rubric';
import { DEMO_RELEASE, oracleAnswer } from './demo-oracle';
import { startFakeEndpoint, type FakeEndpoint } from './fake-chat-endpoint';
import { CARD_FIELDS, getJson, postSubmitForm, waitFor, waitForRunEnd } from './platform-client';
import { teamMember } from './accounts';
import { startPlatform, type RunningProcess } from './processes';

export const JUDGE_MODEL = 'fake-judge';
export const JUDGE_VERSION = '2026-01';

/** A judge rating 2–5 by a hash of the report text: deterministic, and different across dimensions. */
function judgeAnswer(text: string): string {
  const h = createHash('sha256').update(text).digest();
  return JSON.stringify(Object.fromEntries(REPORT_DIMENSIONS.map((d, i) => [d, { score: 2 + (h[i] % 4), rationale: `rated ${d}` }])));
}

export interface BoardPlatform {
  baseUrl: string;
  release: string;
  /** The submitted oracle model's run id (hidden split). */
  oracleRunId: number;
  /** A dev-split sanity run of the same model. */
  devRunId: number;
  stop(): Promise<void>;
}

/**
 * The real platform on embedded defaults with the demo baselines, a fake LLM judge and one submitted model,
 * so every board view, model page and run page has something to show.
 */
export async function startBoardPlatform(): Promise<BoardPlatform> {
  const endpoint: FakeEndpoint = await startFakeEndpoint((model, text) => (model === JUDGE_MODEL ? { content: judgeAnswer(text) } : { content: oracleAnswer(text) }));
  let platform: RunningProcess | undefined;
  try {
    const started = await startPlatform({
      extraEnv: { JUDGE_URL: endpoint.url, JUDGE_MODEL, JUDGE_MODEL_VERSION: JUDGE_VERSION },
    });
    platform = started.proc;
    const baseUrl = started.baseUrl;
    const member = await teamMember(started, 'Spine Lab');
    const submit = async (split: 'test' | 'dev') => {
      const res = await postSubmitForm(baseUrl, member, {
        ...CARD_FIELDS, modelName: 'oracle-vlm-7b', endpointUrl: endpoint.url, endpointModel: 'oracle', release: DEMO_RELEASE, split,
      });
      const id = Number(/\/runs\/(\d+)/.exec(res.location ?? '')?.[1]);
      if (!id) throw new Error(`submission refused (${res.status}): ${res.text.slice(0, 500)}`);
      const end = await waitForRunEnd(baseUrl, id, 180_000);
      if (end.status !== 'succeeded') throw new Error(`run ${id} ended ${end.status}`);
      return id;
    };
    const oracleRunId = await submit('test');
    const devRunId = await submit('dev');
    // The board is ready when the baselines and the oracle are all on it.
    await waitFor('the baselines and the oracle on the board', async () => (await getJson(baseUrl, `/api/leaderboard/${encodeURIComponent(DEMO_RELEASE)}`)).rows.length >= 3, 120_000);
    return {
      baseUrl,
      release: DEMO_RELEASE,
      oracleRunId,
      devRunId,
      stop: async () => {
        await platform?.stop();
        await endpoint.close();
      },
    };
  } catch (e) {
    await platform?.stop();
    await endpoint.close();
    throw e;
  }
}
