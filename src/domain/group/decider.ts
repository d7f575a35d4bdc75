import { assertNever, type Decider } from '../shared/decider';
import { berlinDate, type Instant, type IsoDate } from '../shared/dates';
import { DomainRuleViolated, NotFound } from '../shared/errors';
import { requireAdoptedResolution, type ResolutionSummary } from '../resolution/summary';
import type { ResolutionSubject } from '../resolution/kinds';
import { isAdmittedOn, type PartnerState } from '../partner/state';
import type { AmendMandate, ChangeLead, DissolveGroup, FormGroup, GroupCommand, JoinGroup, LeaveGroup } from './commands';
import type { GroupEvent } from './events';
import { currentMembership, evolveGroup, initialGroupState, latestMembership, type ExistingGroup, type GroupState } from './state';

export const initialState = initialGroupState;
export const evolve = evolveGroup;

export function decide(command: GroupCommand, state: GroupState): GroupEvent[] {
  switch (command.type) {
    case 'FormGroup':
      return formGroup(command, state);
    case 'JoinGroup':
      return joinGroup(command, state);
    case 'LeaveGroup':
      return leaveGroup(command, state);
    case 'ChangeLead':
      return changeLead(command, state);
    case 'AmendMandate':
      return amendMandate(command, state);
    case 'DissolveGroup':
      return dissolveGroup(command, state);
    default:
      return assertNever(command);
  }
}

export const groupDecider: Decider<GroupCommand, GroupEvent, GroupState> = { decide, evolve, initialState };

function formGroup({ data, context }: FormGroup, state: GroupState): GroupEvent[] {
  if (state.status !== 'none') throw new DomainRuleViolated('group-exists', `group ${state.groupId} has already been formed`);
  if (data.kind === 'project' && data.plannedEndDate === undefined) {
    throw new DomainRuleViolated('planned-end-required', 'a project group is time-limited: give its planned end date');
  }
  if (data.plannedEndDate !== undefined && data.plannedEndDate < data.startDate) {
    throw new DomainRuleViolated('invalid-period', `the planned end ${data.plannedEndDate} lies before the start ${data.startDate}`);
  }
  requireAdoptedResolution(cited(context.resolution, data.resolutionId), data.resolutionId, {
    kind: 'group-formation',
    fits: (subject) => subject !== undefined && 'group' in subject && subject.group.kind === data.kind && subject.group.name === data.name,
    onDate: data.startDate,
    rule: 'formation-resolution-required',
  });
  if (data.leadPartnerId !== undefined) {
    requireAdmittedPartner(context.leadPartner, data.leadPartnerId, data.startDate);
  }
  return [
    {
      type: 'GroupFormed',
      data: {
        groupId: data.groupId,
        kind: data.kind,
        name: data.name,
        mandate: data.mandate,
        resolutionId: data.resolutionId,
        ...(data.leadPartnerId !== undefined && { leadPartnerId: data.leadPartnerId }),
        startDate: data.startDate,
        ...(data.plannedEndDate !== undefined && { plannedEndDate: data.plannedEndDate }),
      },
      occurredAt: data.startDate,
    },
  ];
}

function joinGroup({ data, context }: JoinGroup, state: GroupState): GroupEvent[] {
  const group = requireActive(state);
  if (currentMembership(group, data.partnerId)) {
    throw new DomainRuleViolated('already-member', `partner ${data.partnerId} is already a member of group ${group.groupId}`);
  }
  requireNotBefore(data.joinedOn, group.startDate, 'the group started');
  const previous = latestMembership(group, data.partnerId);
  if (previous?.leftOn !== undefined) requireNotBefore(data.joinedOn, previous.leftOn, 'the partner last left the group');
  requireAdmittedPartner(context.partner, data.partnerId, data.joinedOn);
  return [{ type: 'GroupMemberJoined', data: { partnerId: data.partnerId, joinedOn: data.joinedOn }, occurredAt: data.joinedOn }];
}

/** A departure may be recorded after the dissolution, as long as it happened before the group ended. */
function leaveGroup({ data }: LeaveGroup, state: GroupState): GroupEvent[] {
  const group = requireGroup(state);
  const membership = currentMembership(group, data.partnerId);
  if (!membership) throw new DomainRuleViolated('not-a-member', `partner ${data.partnerId} is not a member of group ${group.groupId}`);
  requireNotBefore(data.leftOn, membership.joinedOn, 'the partner joined');
  if (group.status === 'dissolved' && data.leftOn > group.dissolvedOn) {
    throw new DomainRuleViolated('group-dissolved', `group ${group.groupId} was dissolved on ${group.dissolvedOn}, before ${data.leftOn}`);
  }
  return [{ type: 'GroupMemberLeft', data: { partnerId: data.partnerId, leftOn: data.leftOn }, occurredAt: data.leftOn }];
}

function changeLead({ data, context }: ChangeLead, state: GroupState): GroupEvent[] {
  const group = requireActive(state);
  const day = berlinDate(data.occurredAt);
  requireNotBefore(day, group.startDate, 'the group started');
  requireNotBeforeInstant(data.occurredAt, group.leadChanges.at(-1)?.occurredAt, 'the previous change of lead');
  requireAdmittedPartner(context.partner, data.partnerId, day);
  if (group.leadPartnerId === data.partnerId) {
    throw new DomainRuleViolated('already-lead', `partner ${data.partnerId} already leads group ${group.groupId}`);
  }
  return [{ type: 'GroupLeadChanged', data: { partnerId: data.partnerId, occurredAt: data.occurredAt }, occurredAt: data.occurredAt }];
}

function amendMandate({ data, context }: AmendMandate, state: GroupState): GroupEvent[] {
  const group = requireActive(state);
  const day = berlinDate(data.occurredAt);
  requireNotBefore(day, group.startDate, 'the group started');
  requireNotBeforeInstant(data.occurredAt, group.mandateAmendments.at(-1)?.occurredAt, 'the previous amendment of the mandate');
  requireAdoptedResolution(cited(context.resolution, data.resolutionId), data.resolutionId, {
    kind: 'group-mandate',
    fits: namesGroup(group.groupId),
    onDate: day,
    rule: 'mandate-resolution-required',
  });
  return [
    {
      type: 'GroupMandateAmended',
      data: { mandate: data.mandate, resolutionId: data.resolutionId, occurredAt: data.occurredAt },
      occurredAt: data.occurredAt,
    },
  ];
}

function dissolveGroup({ data, context }: DissolveGroup, state: GroupState): GroupEvent[] {
  const group = requireActive(state);
  requireNotBefore(data.dissolvedOn, group.startDate, 'the group started');
  for (const membership of group.members) {
    if (membership.leftOn === undefined) requireNotBefore(data.dissolvedOn, membership.joinedOn, `partner ${membership.partnerId} joined`);
  }
  requireAdoptedResolution(cited(context.resolution, data.resolutionId), data.resolutionId, {
    kind: 'group-dissolution',
    fits: namesGroup(group.groupId),
    onDate: data.dissolvedOn,
    rule: 'dissolution-resolution-required',
  });
  return [
    {
      type: 'GroupDissolved',
      data: {
        resolutionId: data.resolutionId,
        dissolvedOn: data.dissolvedOn,
        ...(data.finalReportRef !== undefined && { finalReportRef: data.finalReportRef }),
      },
      occurredAt: data.dissolvedOn,
    },
  ];
}

function requireGroup(state: GroupState): ExistingGroup {
  if (state.status === 'none') throw new NotFound('group', '(not formed in this stream)');
  return state;
}

function requireActive(state: GroupState): Extract<GroupState, { status: 'active' }> {
  const group = requireGroup(state);
  if (group.status === 'dissolved') {
    throw new DomainRuleViolated('group-dissolved', `group ${group.groupId} was dissolved on ${group.dissolvedOn}`);
  }
  return group;
}

/** The partner the handler loaded must be the one named, and an admitted partner on the day. */
function requireAdmittedPartner(partner: PartnerState | undefined, partnerId: string, date: IsoDate): void {
  if (!partner || partner.status === 'none' || partner.partnerId !== partnerId) throw new NotFound('partner', partnerId);
  if (!isAdmittedOn(partner, date)) {
    throw new DomainRuleViolated('partner-not-admitted', `partner ${partnerId} is not an admitted partner on ${date} (status ${partner.status})`);
  }
}

function requireNotBefore(date: IsoDate, earliest: IsoDate, what: string): void {
  if (date < earliest) throw new DomainRuleViolated('date-order', `${date} lies before ${earliest}, when ${what}`);
}

function requireNotBeforeInstant(at: Instant, earliest: Instant | undefined, what: string): void {
  if (earliest !== undefined && Date.parse(at) < Date.parse(earliest)) {
    throw new DomainRuleViolated('date-order', `${at} lies before ${earliest}, ${what}`);
  }
}

function cited(summary: ResolutionSummary | undefined, resolutionId: string): ResolutionSummary | undefined {
  return summary?.resolutionId === resolutionId ? summary : undefined;
}

function namesGroup(groupId: string) {
  return (subject: ResolutionSubject | undefined) => subject !== undefined && 'groupId' in subject && subject.groupId === groupId;
}
