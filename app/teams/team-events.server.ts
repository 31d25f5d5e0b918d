import type { AppServices } from '../services.server';
import { log } from '../../log/logger';

export interface TeamEvent {
  action: 'run.withdrawn' | 'team.handed-over' | 'team.hidden-access' | 'api-token.created' | 'api-token.revoked' | 'endpoint.verified' | 'endpoint.check-failed';
  actorId: string;
  teamId: number;
  /** What the action was on, e.g. `run:12`. */
  target: string;
}

/**
 * Records an account action on a team. The withdrawal itself is on the run (withdrawn_at, withdrawn_by); this
 * line is the trail in the server log until the platform's audit log takes these events.
 */
export async function recordTeamEvent(_services: AppServices, event: TeamEvent): Promise<void> {
  log.info({ audit: event.action, teamId: event.teamId, target: event.target, actorId: event.actorId }, `team event ${event.action}`);
}
