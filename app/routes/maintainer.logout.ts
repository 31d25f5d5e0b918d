import type { ActionFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { signOutMaintainer } from '../utils/maintainer-auth.server';

export const loader = () => redirect('/maintainer/login');

export async function action({ request, context }: ActionFunctionArgs) {
  return signOutMaintainer(request, context.services);
}
