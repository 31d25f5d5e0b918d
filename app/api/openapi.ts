/**
 * The OpenAPI 3 document of /api/v1, generated from the same zod schemas the handlers validate with
 * (docs/decisions/252-openapi-from-zod.md). Adding a route means registering it here; a test calls every
 * operation this lists against a running server.
 */
import { OpenAPIRegistry, OpenApiGeneratorV3, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import {
  Board,
  BoardQuery,
  EndpointSubmission,
  ErrorBody,
  ReleaseList,
  Run,
  RunId,
  Submitted,
  TeamRuns,
  UploadComplete,
  UploadCreate,
  UploadId,
  UploadState,
} from './schemas';

const json = <T extends z.ZodTypeAny>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
const error = (description: string) => json(ErrorBody, description);

const TOKEN_ERRORS = {
  401: error('No token, an unknown token, or a revoked one.'),
  403: error('The token lacks the scope this call needs.'),
};

function buildRegistry(): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'teamToken', {
    type: 'http',
    scheme: 'bearer',
    description: 'A team API token (sbh_…), created by a team owner on the team page. Scopes: submit, read.',
  });
  const secured = (scope: string): Pick<RouteConfig, 'security'> => ({ security: [{ [bearer.name]: [scope] }] });
  const ReleaseParam = z.object({ release: z.string().openapi({ example: 'SpineBench-Synth@1.0.0', description: 'The release slug (name@version).' }) });

  registry.registerPath({
    method: 'get',
    path: '/api/v1/releases',
    operationId: 'listReleases',
    summary: 'Published and deprecated releases',
    tags: ['public'],
    responses: { 200: json(ReleaseList, 'The releases, by name and version.') },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/releases/{release}/board',
    operationId: 'getBoard',
    summary: "A release's leaderboard in one view",
    tags: ['public'],
    request: { params: ReleaseParam, query: BoardQuery },
    responses: { 200: json(Board, 'The board view.'), 400: error('A query parameter is wrong (named in `field`).'), 404: error('No published release with that slug.') },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/runs/{id}',
    operationId: 'getRun',
    summary: 'A run: status, progress and aggregate results',
    tags: ['public'],
    request: { params: RunId },
    responses: { 200: json(Run, 'The run.'), 404: error('No such run.') },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/submissions',
    operationId: 'submitEndpoint',
    summary: 'Submit an OpenAI-compatible endpoint for the token’s team',
    tags: ['team'],
    ...secured('submit'),
    request: { body: { required: true, content: { 'application/json': { schema: EndpointSubmission } } } },
    responses: {
      201: json(Submitted, 'Queued.'),
      400: error('A field is missing or wrong (named in `field`).'),
      ...TOKEN_ERRORS,
      409: error('The model name is taken by a run in progress, or reserved.'),
      429: error('The team’s hidden-split quota for today is spent.'),
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/uploads',
    operationId: 'startUpload',
    summary: 'Start a resumable upload of an ONNX bundle archive (.tar, .tar.gz or .zip)',
    tags: ['team'],
    ...secured('submit'),
    request: { body: { required: true, content: { 'application/json': { schema: UploadCreate } } } },
    responses: {
      201: json(UploadState, 'The upload; send chunks next.'),
      400: error('totalBytes is missing or not a size.'),
      ...TOKEN_ERRORS,
      413: error('Larger than the platform accepts, or than the team’s share of unfinished uploads.'),
      429: error('The team has too many unfinished uploads.'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/uploads/{id}',
    operationId: 'getUpload',
    summary: 'Where to resume an upload',
    tags: ['team'],
    ...secured('submit'),
    request: { params: UploadId },
    responses: { 200: json(UploadState, 'The upload.'), ...TOKEN_ERRORS, 404: error('No such upload of this team.') },
  });
  registry.registerPath({
    method: 'put',
    path: '/api/v1/uploads/{id}',
    operationId: 'sendChunk',
    summary: 'Append a chunk at the current offset',
    tags: ['team'],
    ...secured('submit'),
    request: {
      params: UploadId,
      headers: z.object({ 'content-range': z.string().optional().openapi({ example: 'bytes 0-1048575/5242880', description: 'Where the chunk lies; or give ?offset=START.' }) }),
      body: { required: true, content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } } },
    },
    responses: {
      200: json(UploadState, 'The chunk was stored (also when it was cut off: resume at `offset`).'),
      400: error('No or malformed Content-Range.'),
      ...TOKEN_ERRORS,
      404: error('No such upload of this team.'),
      409: error('The chunk does not start at the current offset (`offset` says where).'),
      413: error('Over the platform’s limit; the upload is removed.'),
    },
  });
  registry.registerPath({
    method: 'delete',
    path: '/api/v1/uploads/{id}',
    operationId: 'abandonUpload',
    summary: 'Abandon an upload and remove its bytes',
    tags: ['team'],
    ...secured('submit'),
    request: { params: UploadId },
    responses: { 204: { description: 'Removed.' }, ...TOKEN_ERRORS, 404: error('No such upload of this team.') },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/uploads/{id}/complete',
    operationId: 'completeUpload',
    summary: 'Submit the uploaded ONNX bundle',
    tags: ['team'],
    ...secured('submit'),
    request: { params: UploadId, body: { required: true, content: { 'application/json': { schema: UploadComplete } } } },
    responses: {
      201: json(Submitted, 'Validated and queued.'),
      400: error('A field is missing or wrong; the upload is kept, so fix it and repeat.'),
      ...TOKEN_ERRORS,
      404: error('No such upload of this team.'),
      409: error('The upload is not complete yet (`offset` says how far it got).'),
      422: error('The bundle was refused (`problems` lists each fault); the upload is removed.'),
      429: error('The team’s hidden-split quota for today is spent.'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/team/runs',
    operationId: 'listTeamRuns',
    summary: 'The token’s team’s runs, newest first',
    tags: ['team'],
    ...secured('read'),
    responses: { 200: json(TeamRuns, 'The runs.'), ...TOKEN_ERRORS },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/openapi.json',
    operationId: 'getOpenApi',
    summary: 'This document',
    tags: ['public'],
    responses: { 200: { description: 'The OpenAPI 3 document.', content: { 'application/json': { schema: z.object({ openapi: z.string() }).passthrough() } } } },
  });
  return registry;
}

let cached: ReturnType<OpenApiGeneratorV3['generateDocument']> | null = null;

/** The document (built once per process: the schemas do not change at run time). */
export function openApiDocument() {
  cached ??= new OpenApiGeneratorV3(buildRegistry().definitions).generateDocument({
    openapi: '3.0.3',
    info: {
      title: 'SpineBench Hub API',
      version: '1.0.0',
      description:
        'Public reads of releases, boards and runs; team calls with a team API token (Authorization: Bearer sbh_…). ' +
        'Errors are always JSON: {"error": {"code", "message", "field"?}}. Hidden-split runs show aggregates only.',
    },
    servers: [{ url: '/' }],
  });
  return cached;
}
