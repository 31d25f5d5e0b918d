import type { ActionFunctionArgs } from '@remix-run/node';
import { apiRoute, methodNotAllowed } from '../api/errors.server';
import { requireJsonBody } from '../api/json-body.server';
import { submitEndpointAs } from '../api/submit.server';
import { requireApiToken } from '../api/token-auth.server';

/** POST /api/v1/submissions: submit an OpenAI-compatible endpoint for the token's team (scope `submit`). */
export const action = apiRoute(async ({ context, request }: ActionFunctionArgs) => {
  if (request.method !== 'POST') return methodNotAllowed(['POST'])();
  const principal = await requireApiToken(request, context.services, 'submit');
  const body = await requireJsonBody(request, '{"modelName", "endpointUrl", "endpointModel", "release", "split"}');
  return Response.json(await submitEndpointAs(context.services, principal, body), { status: 201 });
});
export const loader = methodNotAllowed(['POST']);
