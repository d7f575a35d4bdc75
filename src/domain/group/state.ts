import type { IsoDate, Instant } from '../shared/dates';
import { replaced } from '../shared/lists';
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
  /**
   * Each partner's latest membership, in the order they first joined. An array, not a record by partner id: every
   * event copies it (states are never changed in place), and copying an array is a block copy, while copying an
   * object with thousands of id keys inserts them one by one into a new hash table (4,000 joins took 3.7 s to fold).
   */
  members: GroupMembership[];
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

/** The partner's latest membership (current or ended), if the partner ever joined. */
export function latestMembership(group: ExistingGroup, partnerId: string): GroupMembership | undefined {
  return group.members.find((m) => m.partnerId === partnerId);
}

/** The partner's current membership: joined and not (yet) left. */
export function currentMembership(group: ExistingGroup, partnerId: string): GroupMembership | undefined {
  const membership = latestMembership(group, partnerId);
  return membership && membership.leftOn === undefined ? membership : undefined;
}

/**
 * The membership of the partner whose latest membership is `latest` that covers `date`, if any; a dissolution ends
 * every membership on its day. Memberships are [joinedOn, leftOn).
 */
export function membershipCovering(group: ExistingGroup, latest: GroupMembership, date: IsoDate): GroupMembership | undefined {
  if (group.status === 'dissolved' && date >= group.dissolvedOn) return undefined;
  const covers = (m: GroupMembership) => m.joinedOn <= date && (m.leftOn === undefined || date < m.leftOn);
  if (covers(latest)) return latest;
  return group.pastMemberships.find((m) => m.partnerId === latest.partnerId && covers(m));
}

/** The partner's membership that covers `date`, if the partner was a member then. */
export function membershipOn(group: ExistingGroup, partnerId: string, date: IsoDate): GroupMembership | undefined {
  const latest = latestMembership(group, partnerId);
  return latest && membershipCovering(group, latest, date);
}

/** Whether the partner was a member on `date`. */
export function isMemberOn(group: ExistingGroup, partnerId: string, date: IsoDate): boolean {
  return membershipOn(group, partnerId, date) !== undefined;
}

/** The partners who were members on `date`. */
export function membersOn(group: ExistingGroup, date: IsoDate): string[] {
  return group.members.filter((m) => membershipCovering(group, m, date)).map((m) => m.partnerId);
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
      members: [],
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
      const at = state.members.findIndex((m) => m.partnerId === partnerId);
      if (at < 0) return { ...state, members: [...state.members, { partnerId, joinedOn }] };
      return { ...state, members: replaced(state.members, at, { partnerId, joinedOn }), pastMemberships: [...state.pastMemberships, state.members[at]!] };
    }
    case 'GroupMemberLeft': {
      const { partnerId, leftOn } = event.data;
      const at = state.members.findIndex((m) => m.partnerId === partnerId);
      if (at < 0) return state;
      return { ...state, members: replaced(state.members, at, { ...state.members[at]!, leftOn }) };
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
