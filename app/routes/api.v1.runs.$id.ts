import type { LoaderFunctionArgs } from '@remix-run/node';
import { apiRoute, methodNotAllowed } from '../api/errors.server';
import { runAnswer } from '../api/read.server';

/** GET /api/v1/runs/:id: a run's status, progress and aggregate results (public; never per-item data). */
export const loader = apiRoute(async ({ context, params }: LoaderFunctionArgs) => Response.json(await runAnswer(context.services, params.id)));
export const action = methodNotAllowed(['GET']);
