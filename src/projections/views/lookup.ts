import type { ExistingGroup } from '../../domain/group/state';
import type { Meeting } from '../../domain/meeting/state';
import type { PartnerState } from '../../domain/partner/state';
import type { Resolution } from '../../domain/resolution/state';
import type { ResolvedCut } from '../as-of';
import type { EntityIndex } from '../entity-index';

/** Entities at a cut, absent when not there (also when only later events of theirs fall inside it). */

export type ExistingPartner = Exclude<PartnerState, { status: 'none' }>;

export function partnerAt(index: EntityIndex, partnerId: string, cut: ResolvedCut): ExistingPartner | undefined {
  const state = index.stateOf('partner', partnerId, cut);
  return state && state.status !== 'none' ? state : undefined;
}

export function groupAt(index: EntityIndex, groupId: string, cut: ResolvedCut): ExistingGroup | undefined {
  const state = index.stateOf('group', groupId, cut);
  return state && state.status !== 'none' ? state : undefined;
}

export function meetingAt(index: EntityIndex, meetingId: string, cut: ResolvedCut): Meeting | undefined {
  const state = index.stateOf('meeting', meetingId, cut);
  return state && state.status !== 'none' ? state : undefined;
}

export function resolutionAt(index: EntityIndex, resolutionId: string, cut: ResolvedCut): Resolution | undefined {
  const state = index.stateOf('resolution', resolutionId, cut);
  return state && state.status !== 'none' ? state : undefined;
}
