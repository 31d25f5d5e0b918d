/**
 * The zod schemas of /api/v1: requests are validated with them, and the OpenAPI document (app/api/openapi.ts)
 * is generated from them with @asteasolutions/zod-to-openapi (docs/decisions/252-openapi-from-zod.md).
 */
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { endpointSubmissionForm, onnxSubmissionFields } from '../utils/submission-form';

extendZodWithOpenApi(z);

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'not_found', description: 'Machine-readable: bad_request, invalid_field, unauthorized, forbidden, not_found, method_not_allowed, conflict, payload_too_large, unprocessable, rate_limited, internal.' }),
      message: z.string().openapi({ example: 'No published release "spine@9".' }),
      field: z.string().optional().openapi({ description: 'The request field at fault, when one is.' }),
      fieldErrors: z.record(z.string()).optional().openapi({ description: 'Every field at fault with its message.' }),
      offset: z.number().int().optional().openapi({ description: 'Uploads: the offset the next chunk must start at.' }),
      problems: z.array(z.object({ path: z.string().optional(), message: z.string() }).passthrough()).optional().openapi({ description: 'ONNX bundles: every problem found.' }),
    }),
  })
  .openapi('Error');

export const Release = z
  .object({
    slug: z.string().openapi({ example: 'SpineBench-Synth@1.0.0', description: 'name@version: how the other calls name the release.' }),
    name: z.string(),
    version: z.string(),
    status: z.enum(['published', 'deprecated']),
    publishedAt: z.string().datetime().nullable(),
    synthetic: z.boolean(),
    contentHash: z.string(),
  })
  .openapi('Release');

export const ReleaseList = z.object({ releases: z.array(Release) }).openapi('ReleaseList');

export const BoardViewName = z.enum(['overview', 'levels', 'modality', 'reports']);

export const BoardQuery = z.object({
  view: BoardViewName.default('overview').openapi({ description: 'Which board view (the same as the web pages).' }),
  filter: z.string().optional().openapi({ example: 'region:lumbar', description: 'Restrict to one facet value: region:…, pathology:… or language:….' }),
  baselines: z.enum(['show', 'hide']).optional(),
  sort: z.string().optional().openapi({ description: 'A column key, or rank/model/team/items/evaluated.' }),
  dir: z.enum(['asc', 'desc']).optional(),
});

const ExportCell = z.object({ score: z.number(), low: z.number().nullable(), high: z.number().nullable(), n: z.number().int() }).passthrough().nullable();

export const Board = z
  .object({
    release: z.object({ slug: z.string(), name: z.string(), version: z.string(), status: z.string(), synthetic: z.boolean() }).passthrough(),
    policy: z.string(),
    rankRule: z.string(),
    view: BoardViewName,
    note: z.string().nullable(),
    columns: z.array(z.object({ key: z.string(), label: z.string(), description: z.string(), scale: z.enum(['percent', 'rating']) })),
    rows: z.array(
      z
        .object({ rank: z.number().int().nullable(), model: z.string(), team: z.string(), runId: z.number().int(), scores: z.record(ExportCell) })
        .passthrough(),
    ),
  })
  .passthrough()
  .openapi('Board', { description: 'Aggregate scores of the hidden test split, ranked; never per-item data.' });


export const Run = z
  .object({
    id: z.number().int(),
    status: z.string().openapi({ example: 'running', description: 'queued, running, succeeded, failed or cancelled.' }),
    split: z.enum(['dev', 'test']),
    totalItems: z.number().int().nullable(),
    doneItems: z.number().int(),
    errorCode: z.string().nullable(),
    errorMessage: z.string().nullable(),
    createdAt: z.string().datetime(),
    finishedAt: z.string().datetime().nullable(),
    modelName: z.string(),
    teamName: z.string(),
    releaseName: z.string(),
    releaseVersion: z.string(),
    score: z.number().nullable(),
    scorerVersion: z.string().nullable(),
    breakdown: z.record(z.unknown()).nullable().openapi({ description: 'The published aggregate (task, modality, skill scores with intervals).' }),
    views: z.record(z.unknown()).nullable().openapi({ description: 'Precomputed board-view aggregates.' }),
    judgeFailures: z.number().int(),
    endpointHostVerified: z.boolean().openapi({ description: 'The run’s endpoint lies on an origin its team verified (/.well-known/spinebench-verification).' }),
  })
  .passthrough()
  .openapi('Run', { description: 'A run: status, progress and aggregate results. For the hidden split only aggregates exist here.' });

export const RunId = z.object({ id: z.string().regex(/^\d{1,9}$/).openapi({ example: '12', description: 'The run id.' }) });

export const EndpointSubmission = endpointSubmissionForm.openapi('EndpointSubmission', { description: 'An OpenAI-compatible endpoint to evaluate; the team is the token’s.' });

export const Submitted = z
  .object({
    runId: z.number().int(),
    modelId: z.number().int(),
    runUrl: z.string().openapi({ example: '/runs/12' }),
    statusUrl: z.string().openapi({ example: '/api/v1/runs/12' }),
  })
  .openapi('Submitted');

export const UploadCreate = z
  .object({ totalBytes: z.number().int().positive().openapi({ description: 'Size of the whole archive in bytes (required: uploads count against the team’s share).' }) })
  .openapi('UploadCreate');

export const UploadState = z
  .object({
    id: z.string().uuid(),
    offset: z.number().int().openapi({ description: 'Bytes received so far: where the next chunk starts.' }),
    totalBytes: z.number().int().nullable(),
    createdAt: z.string().datetime(),
    maxBytes: z.number().int().optional(),
  })
  .openapi('UploadState');

export const UploadId = z.object({ id: z.string().uuid().openapi({ description: 'The upload id from POST /api/v1/uploads.' }) });

export const UploadComplete = onnxSubmissionFields.openapi('UploadComplete', {
  description: 'What the uploaded ONNX bundle archive is submitted as.',
});

export const TeamRun = z
  .object({
    runId: z.number().int(),
    modelName: z.string(),
    release: z.string(),
    split: z.enum(['dev', 'test']),
    status: z.string(),
    score: z.number().nullable(),
    createdAt: z.string().datetime(),
    withdrawn: z.boolean(),
  })
  .openapi('TeamRun');

export const TeamRuns = z
  .object({ team: z.object({ id: z.number().int(), name: z.string() }), runs: z.array(TeamRun) })
  .openapi('TeamRuns');
