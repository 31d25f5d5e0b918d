import type { ModelCard } from '../../db/model-card';
import type { BundleProblem } from '../../evaluator/onnx/bundle-report';

/** The form and API fields a refusal can name. */
export type SubmissionField =
  | 'teamId'
  | 'modelName'
  | 'endpointUrl'
  | 'endpointModel'
  | 'endpointToken'
  | 'release'
  | 'split'
  | 'archive'
  | 'path'
  | keyof ModelCard;

/**
 * Why a submission was not accepted. `status` is the HTTP status that fits (400 bad fields, 404 feature off,
 * 409 name conflict, 413 too large, 422 bad bundle, 429 quota); `fieldErrors` names each field at fault,
 * which forms show beside the field and the API returns as is; `problems` lists a refused bundle's faults.
 */
export interface SubmissionRefusal {
  ok: false;
  status: number;
  message: string;
  fieldErrors?: Partial<Record<SubmissionField, string>>;
  problems?: BundleProblem[];
}

export interface SubmissionAccepted {
  ok: true;
  runId: number;
  modelId: number;
}

export type SubmissionOutcome = SubmissionAccepted | SubmissionRefusal;

/** A refusal of one field: the message is both the summary and the field's error. */
export function fieldRefusal(status: number, field: SubmissionField, message: string): SubmissionRefusal {
  return { ok: false, status, message, fieldErrors: { [field]: message } };
}

export function bundleRefusal(problems: BundleProblem[]): SubmissionRefusal {
  const count = `${problems.length} problem${problems.length === 1 ? '' : 's'}`;
  return { ok: false, status: 422, message: `The bundle was refused (${count}); nothing was queued.`, fieldErrors: { archive: `The bundle has ${count}.` }, problems };
}
