import type { LoaderFunctionArgs } from '@remix-run/node';
import { apiRoute, methodNotAllowed } from '../api/errors.server';
import { teamRunsAnswer } from '../api/read.server';
import { requireApiToken } from '../api/token-auth.server';

/** GET /api/v1/team/runs: the token's team's runs, newest first (scope `read`). */
export const loader = apiRoute(async ({ context, request }: LoaderFunctionArgs) => {
  const principal = await requireApiToken(request, context.services, 'read');
  return Response.json(await teamRunsAnswer(context.services, principal));
});
export const action = methodNotAllowed(['GET']);
