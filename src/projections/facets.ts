import type { GroupState } from '../domain/group/state';
import type { MeetingState } from '../domain/meeting/state';
import type { PartnerState } from '../domain/partner/state';
import type { ResolutionState } from '../domain/resolution/state';
import type { EntityKind } from './kinds';

/**
 * What a list filters and orders an entity by, taken from its state once per change: lists read these small
 * objects of one shape instead of the states (whose many shapes make property reads slow), and a list of a
 * restored index does not parse the states of entities it does not show.
 *   status: the state's status ('none': the entity does not exist at that cut)
 *   kind:   a partner's category, a resolution's or a group's kind ('' for the rest)
 *   day:    what "newest first" orders by: received, decided (else proposed), meeting day, start
 */
export interface Facets {
  status: string;
  kind: string;
  day: string;
}

function facets(status: string, kind: string, day: string): Facets {
  return { status, kind, day };
}

export function facetsOf(kind: EntityKind, state: unknown): Facets {
  const status = typeof (state as { status?: unknown }).status === 'string' ? (state as { status: string }).status : '';
  if (status === 'none') return facets('none', '', '');
  switch (kind) {
    case 'partner': {
      const p = state as Exclude<PartnerState, { status: 'none' }>;
      return facets(status, p.category, p.receivedOn);
    }
    case 'resolution': {
      const r = state as Exclude<ResolutionState, { status: 'none' }>;
      return r.status === 'decided' ? facets(r.decision.outcome, r.kind, r.decision.decidedOn) : facets('undecided', r.kind, r.proposedOn);
    }
    case 'meeting':
      return facets(status, '', (state as Exclude<MeetingState, { status: 'none' }>).date);
    case 'group': {
      const g = state as Exclude<GroupState, { status: 'none' }>;
      return facets(status, g.kind, g.startDate);
    }
    default:
      return facets(status, '', '');
  }
}
