import type { LoaderFunctionArgs } from '@remix-run/node';
import { apiRoute, methodNotAllowed } from '../api/errors.server';
import { releasesAnswer } from '../api/read.server';

/** GET /api/v1/releases: published and deprecated releases (public). */
export const loader = apiRoute(async ({ context }: LoaderFunctionArgs) => Response.json(await releasesAnswer(context.services)));
export const action = methodNotAllowed(['GET']);
