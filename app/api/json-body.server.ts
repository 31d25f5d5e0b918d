import { readJsonObject } from '../utils/api-answers.server';
import { ApiError } from './errors.server';

/** The request's JSON object body, or a 400 naming what to send. */
export async function requireJsonBody(request: Request, shape: string): Promise<Record<string, unknown>> {
  const body = await readJsonObject(request);
  if (!body) throw new ApiError(400, 'bad_request', `Send a JSON object (Content-Type: application/json): ${shape}.`);
  return body;
}
