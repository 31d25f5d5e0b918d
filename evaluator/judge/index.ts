/** Public surface of the report judge (I/O: one HTTP call per report). */
export { judgeReport, JudgeModelMismatchError, type JudgeOutcome, type JudgeCallOptions } from './client';
export { JUDGE_PROMPT_VERSION, judgeConfigSchema, parseJudgeConfig, judgeIdentity, judgeConfigVersion, type JudgeConfig, type JudgeConfigInput, type JudgeIdentity } from './config';
export { buildJudgeMessages } from './prompt';
export { parseJudgeAnswer, judgeAnswerSchema } from './response';
