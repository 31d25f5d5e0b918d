/** The model page's card form: team members edit their model's card; everyone else is refused. */
import { data } from '@remix-run/node';
import { recordAudit } from '../../db/queries/audit';
import { getModelIdentity, updateModelCard } from '../../db/queries/model-pages';
import { teamRoleOf } from '../../db/queries/teams';
import { auditActorOf, currentUser, requireUser } from '../auth/session.server';
import type { AppServices } from '../services.server';
import { parseFields } from '../utils/submission-form';
import { cardFromForm, modelCardFields } from './model-card';

/** Whether the visitor may edit this model's card (a member of its team; never the platform's baselines). */
export async function canEditCard(request: Request, services: AppServices, model: { teamId: number; isBaseline: boolean }): Promise<boolean> {
  if (model.isBaseline) return false;
  const user = await currentUser(request, services);
  return !!user?.emailVerified && !!(await teamRoleOf(services.db, user.id, model.teamId));
}

export async function saveModelCard(request: Request, services: AppServices, modelId: number, form: FormData) {
  const user = await requireUser(request, services, { verified: true });
  const model = await getModelIdentity(services.db, modelId);
  if (!model) throw data('No such model.', { status: 404 });
  if (model.isBaseline || !(await teamRoleOf(services.db, user.id, model.teamId))) {
    throw data('Only members of the model’s team may edit its card.', { status: 403 });
  }
  const parsed = parseFields(modelCardFields, Object.fromEntries(form));
  if (!parsed.ok) return data({ cardErrors: parsed.fieldErrors, saved: false }, { status: 400 });
  await updateModelCard(services.db, modelId, cardFromForm(parsed.value));
  await recordAudit(services.db, { actor: auditActorOf(user), action: 'model.card', subject: `model:${modelId}` });
  return { cardErrors: {} as Record<string, string>, saved: true };
}
