import type { LoaderFunctionArgs } from '@remix-run/node';
import { loadRunView } from '../utils/run-view.server';

/** Public read API: a run's status, progress, typed error and score. */
export async function loader({ context, params }: LoaderFunctionArgs) {
  return Response.json(await loadRunView(context.services.db, params.id));
}
