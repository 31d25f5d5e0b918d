import type { ActionFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { endSession } from '../auth/session.server';

export const loader = () => redirect('/');

export async function action({ request, context }: ActionFunctionArgs) {
  return endSession(request, context.services);
}
