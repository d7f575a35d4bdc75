import type { IsoDate, Instant } from '../shared/dates';
import type { GroupKind } from '../resolution/kinds';
import type { GroupEvent } from './events';

/**
 * A membership is the half-open period [joinedOn, leftOn): on the day a partner leaves they are no longer a member,
 * the same boundary as a partner's admission (see isAdmittedOn).
 */
export interface GroupMembership {
  partnerId: string;
  joinedOn: IsoDate;
  leftOn?: IsoDate;
}

export interface MandateAmendment {
  mandate: string;
  resolutionId: string;
  occurredAt: Instant;
}

export interface LeadChange {
  partnerId: string;
  occurredAt: Instant;
}

interface FormedGroup {
  groupId: string;
  kind: GroupKind;
  name: string;
  mandate: string;
  /** the lead is not a member by being lead */
  leadPartnerId?: string;
  startDate: IsoDate;
  plannedEndDate?: IsoDate;
  /** each partner's latest membership */
  members: Record<string, GroupMembership>;
  /** earlier, closed memberships of partners who joined again */
  pastMemberships: GroupMembership[];
  leadChanges: LeadChange[];
  /** the resolutions that formed, changed and dissolved the group */
  formedBy: string;
  mandateAmendments: MandateAmendment[];
}

export type GroupState =
  | { status: 'none' }
  | ({ status: 'active' } & FormedGroup)
  | ({ status: 'dissolved'; dissolvedOn: IsoDate; dissolvedBy: string; finalReportRef?: string } & FormedGroup);

export type ExistingGroup = Exclude<GroupState, { status: 'none' }>;

export const initialGroupState: GroupState = { status: 'none' };

/** The partner's current membership: joined and not (yet) left. */
export function currentMembership(group: ExistingGroup, partnerId: string): GroupMembership | undefined {
  const membership = group.members[partnerId];
  return membership && membership.leftOn === undefined ? membership : undefined;
}

/** Whether the partner was a member on `date`; a dissolution ends every membership on its day. */
export function isMemberOn(group: ExistingGroup, partnerId: string, date: IsoDate): boolean {
  if (group.status === 'dissolved' && date >= group.dissolvedOn) return false;
  const periods = [...group.pastMemberships.filter((m) => m.partnerId === partnerId), group.members[partnerId]];
  return periods.some((m) => m !== undefined && m.joinedOn <= date && (m.leftOn === undefined || date < m.leftOn));
}

/** The partners who were members on `date`. */
export function membersOn(group: ExistingGroup, date: IsoDate): string[] {
  return Object.keys(group.members).filter((partnerId) => isMemberOn(group, partnerId, date));
}

export function evolveGroup(state: GroupState, event: GroupEvent): GroupState {
  if (event.type === 'GroupFormed') {
    const d = event.data;
    return {
      status: 'active',
      groupId: d.groupId,
      kind: d.kind,
      name: d.name,
      mandate: d.mandate,
      ...(d.leadPartnerId !== undefined && { leadPartnerId: d.leadPartnerId }),
      startDate: d.startDate,
      ...(d.plannedEndDate !== undefined && { plannedEndDate: d.plannedEndDate }),
      members: {},
      pastMemberships: [],
      leadChanges: [],
      formedBy: d.resolutionId,
      mandateAmendments: [],
    };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'GroupMemberJoined': {
      const { partnerId, joinedOn } = event.data;
      const previous = state.members[partnerId];
      return {
        ...state,
        members: { ...state.members, [partnerId]: { partnerId, joinedOn } },
        pastMemberships: previous ? [...state.pastMemberships, previous] : state.pastMemberships,
      };
    }
    case 'GroupMemberLeft': {
      const { partnerId, leftOn } = event.data;
      const membership = state.members[partnerId];
      if (!membership) return state;
      return { ...state, members: { ...state.members, [partnerId]: { ...membership, leftOn } } };
    }
    case 'GroupLeadChanged':
      return { ...state, leadPartnerId: event.data.partnerId, leadChanges: [...state.leadChanges, event.data] };
    case 'GroupMandateAmended':
      return { ...state, mandate: event.data.mandate, mandateAmendments: [...state.mandateAmendments, event.data] };
    case 'GroupDissolved': {
      const d = event.data;
      return {
        ...state,
        status: 'dissolved',
        dissolvedOn: d.dissolvedOn,
        dissolvedBy: d.resolutionId,
        ...(d.finalReportRef !== undefined && { finalReportRef: d.finalReportRef }),
      };
    }
  }
}
