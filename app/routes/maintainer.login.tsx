import type { LoaderFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { safeNextPath } from '../utils/maintainer-auth.server';

/** The old shared-token sign-in: maintainers now sign in with their account. */
export async function loader({ request }: LoaderFunctionArgs) {
  throw redirect(`/signin?next=${encodeURIComponent(safeNextPath(new URL(request.url).searchParams.get('next')))}`);
}

export const action = loader;
