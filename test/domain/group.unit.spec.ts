import { spec } from '../support/decider-spec';
import { groupDecider } from '../../src/domain/group/decider';
import { formGroupData, groupFormationBody, type FormGroup, type FormGroupContext, type GroupCommand } from '../../src/domain/group/commands';
import { isMemberOn, membersOn, type ExistingGroup, type GroupState } from '../../src/domain/group/state';
import type { GroupEvent } from '../../src/domain/group/events';
import { partnerDecider } from '../../src/domain/partner/decider';
import type { PartnerEvent } from '../../src/domain/partner/events';
import type { PartnerState } from '../../src/domain/partner/state';
import type { ResolutionSummary } from '../../src/domain/resolution/summary';
import { fold } from '../../src/domain/shared/decider';

const groupId = '66666666-6666-4666-8666-666666666666';
const otherGroupId = '77777777-7777-4777-8777-777777777777';
const leadId = '11111111-1111-4111-8111-111111111111';
const memberId = '22222222-2222-4222-8222-222222222222';
const formationId = '44444444-4444-4444-8444-444444444444';
const mandateResolutionId = '88888888-8888-4888-8888-888888888888';
const dissolutionId = '99999999-9999-4999-8999-999999999999';
const revocationId = '55555555-5555-4555-8555-555555555555';

const metadata = { now: '2026-06-01T10:00:00+02:00', actor: { id: 'office-1', role: 'office' as const } };
type CommandOf<T extends GroupCommand['type']> = Extract<GroupCommand, { type: T }>;
type ContextOf<T extends GroupCommand['type']> = CommandOf<T> extends { context: infer X } ? X : never;
const command = <T extends GroupCommand['type']>(type: T, data: CommandOf<T>['data'], context?: ContextOf<T>) =>
  ({ type, data, metadata, ...(context !== undefined && { context }) }) as CommandOf<T>;

/** A partner's state built from its own events: applied 1 Oct, admitted 15 Oct 2025, and what follows. */
function partnerState(partnerId: string, ...after: PartnerEvent[]): PartnerState {
  const applied: PartnerEvent = {
    type: 'PartnerApplied',
    data: {
      partnerId,
      organisation: { name: `Partner ${partnerId.slice(0, 4)}`, category: 'employer' },
      contact: { subjectId: '33333333-3333-4333-8333-333333333333', name: 'Kontakt', email: 'kontakt@example.org' },
      expertise: [],
      channel: 'email',
      receivedOn: '2025-10-01',
    },
    occurredAt: '2025-10-01',
  };
  return fold(partnerDecider, [applied, ...after]);
}
const admission: PartnerEvent = { type: 'PartnerAdmitted', data: { decidedOn: '2025-10-15', by: 'office' }, occurredAt: '2025-10-15' };
const exclusion: PartnerEvent = { type: 'PartnerExcluded', data: { decidedOn: '2026-02-01', resolutionId: revocationId }, occurredAt: '2026-02-01' };
const admittedLead = partnerState(leadId, admission);
const admittedMember = partnerState(memberId, admission);

function resolution(overrides: Partial<ResolutionSummary> = {}): ResolutionSummary {
  return {
    resolutionId: formationId,
    kind: 'group-formation',
    subject: { group: { kind: 'project', name: 'Pflegekräfte Lausitz', mandate: 'Fachkräfte für die Pflege gewinnen' } },
    outcome: 'adopted',
    decidedOn: '2025-11-01',
    ...overrides,
  };
}

const formation = {
  groupId,
  kind: 'project' as const,
  name: 'Pflegekräfte Lausitz',
  mandate: 'Fachkräfte für die Pflege gewinnen',
  resolutionId: formationId,
  leadPartnerId: leadId,
  startDate: '2025-11-01',
  plannedEndDate: '2026-10-31',
};
const form = (data: Partial<FormGroup['data']> = {}, context: FormGroupContext = { resolution: resolution(), leadPartner: admittedLead }) =>
  command('FormGroup', { ...formation, ...data }, context);

const formed: GroupEvent = { type: 'GroupFormed', data: formation, occurredAt: '2025-11-01' };
const joined: GroupEvent = { type: 'GroupMemberJoined', data: { partnerId: memberId, joinedOn: '2025-11-10' }, occurredAt: '2025-11-10' };
const memberLeft: GroupEvent = { type: 'GroupMemberLeft', data: { partnerId: memberId, leftOn: '2026-01-10' }, occurredAt: '2026-01-10' };
const dissolved: GroupEvent = {
  type: 'GroupDissolved',
  data: { resolutionId: dissolutionId, dissolvedOn: '2026-03-01', finalReportRef: 'report-2026-03' },
  occurredAt: '2026-03-01',
};

const join = (partner: PartnerState | undefined, joinedOn = '2025-11-10', partnerId = memberId) =>
  command('JoinGroup', { partnerId, joinedOn }, partner ? { partner } : {});
const leave = (leftOn = '2026-01-10', partnerId = memberId) => command('LeaveGroup', { partnerId, leftOn });

const group = spec(groupDecider);
const stateOf = (events: GroupEvent[]) => fold(groupDecider, events) as ExistingGroup;

describe('FormGroup', () => {
  it('forms a project group on an adopted group-formation resolution, with an admitted lead', () => {
    group.given([]).when(form()).then([formed]);
  });

  it('does not make the lead a member', () => {
    const state = stateOf([formed]);
    expect(state.leadPartnerId).toBe(leadId);
    expect(state.members).toEqual([]);
    expect(isMemberOn(state, leadId, '2025-11-01')).toBe(false);
  });

  it('forms a working group without a lead or a planned end', () => {
    const { leadPartnerId: _l, plannedEndDate: _p, ...working } = formation;
    const subject = { group: { kind: 'working' as const, name: working.name, mandate: working.mandate } };
    group
      .given([])
      .when(command('FormGroup', { ...working, kind: 'working' }, { resolution: resolution({ subject }) }))
      .then([{ type: 'GroupFormed', data: { ...working, kind: 'working' }, occurredAt: '2025-11-01' }]);
  });

  it('requires a project group to have a planned end, not before its start', () => {
    group.given([]).when(form({ plannedEndDate: undefined })).thenRefuses('planned-end-required');
    group.given([]).when(form({ plannedEndDate: '2025-10-31' })).thenRefuses('invalid-period');
    expect(group.given([]).when(form({ plannedEndDate: '2025-11-01' })).events()).toHaveLength(1);
  });

  it.each<[string, Partial<ResolutionSummary>]>([
    ['for a group of another name', { subject: { group: { kind: 'project', name: 'Pflege Erzgebirge', mandate: formation.mandate } } }],
    ['for a group of another kind', { subject: { group: { kind: 'working', name: formation.name, mandate: formation.mandate } } }],
    ['of another kind', { kind: 'group-mandate', subject: { groupId } }],
    ['that was rejected', { outcome: 'rejected' }],
    ['that was revoked', { revokedBy: revocationId }],
    ['not yet decided', { outcome: null, decidedOn: undefined }],
    ['adopted only after the start', { decidedOn: '2025-11-02' }],
  ])('is refused with a resolution %s', (_why, overrides) => {
    group
      .given([])
      .when(form({}, { resolution: resolution(overrides), leadPartner: admittedLead }))
      .thenRefuses('formation-resolution-required');
  });

  it('answers not found when the resolution does not exist', () => {
    group.given([]).when(form({}, { leadPartner: admittedLead })).thenNotFound('resolution');
  });

  it('requires the lead to be an admitted partner on the start date', () => {
    group.given([]).when(form({}, { resolution: resolution(), leadPartner: partnerState(leadId) })).thenRefuses('partner-not-admitted');
    const admittedLater = partnerState(leadId, { ...admission, data: { decidedOn: '2025-11-02', by: 'office' }, occurredAt: '2025-11-02' });
    group.given([]).when(form({}, { resolution: resolution(), leadPartner: admittedLater })).thenRefuses('partner-not-admitted');
    const leftBefore = partnerState(leadId, admission, {
      type: 'PartnerLeft',
      data: { occurredAt: '2025-10-31T12:00:00+01:00' },
      occurredAt: '2025-10-31T12:00:00+01:00',
    });
    group.given([]).when(form({}, { resolution: resolution(), leadPartner: leftBefore })).thenRefuses('partner-not-admitted');
  });

  it('answers not found when the lead is no partner', () => {
    group.given([]).when(form({}, { resolution: resolution() })).thenNotFound('partner');
    group.given([]).when(form({}, { resolution: resolution(), leadPartner: admittedMember })).thenNotFound('partner');
  });

  it('is refused twice', () => {
    group.given([formed]).when(form()).thenRefuses('group-exists');
  });

  it('takes the API body field for field, refusing unknown fields', () => {
    const { groupId: _g, ...body } = formation;
    expect(groupFormationBody.safeParse(body).success).toBe(true);
    expect(groupFormationBody.safeParse(formation).success).toBe(false);
    expect(formGroupData.safeParse(formation).success).toBe(true);
    expect(formGroupData.safeParse({ ...formation, members: [] }).success).toBe(false);
  });
});

describe('JoinGroup', () => {
  it('lets an admitted partner join', () => {
    group.given([formed]).when(join(admittedMember)).then([joined]);
  });

  it('lets the lead join as a member, which leading alone does not make them', () => {
    group
      .given([formed])
      .when(join(admittedLead, '2025-11-01', leadId))
      .then([{ type: 'GroupMemberJoined', data: { partnerId: leadId, joinedOn: '2025-11-01' }, occurredAt: '2025-11-01' }]);
  });

  it('refuses a partner who is not an admitted partner on the day of joining', () => {
    group.given([formed]).when(join(partnerState(memberId))).thenRefuses('partner-not-admitted');
    group.given([formed]).when(join(partnerState(memberId, admission, exclusion), '2026-02-01')).thenRefuses('partner-not-admitted');
    const rejected: PartnerEvent = { type: 'PartnerRejected', data: { decidedOn: '2025-10-15', reason: 'x' }, occurredAt: '2025-10-15' };
    group.given([formed]).when(join(partnerState(memberId, rejected))).thenRefuses('partner-not-admitted');
  });

  it('records a back-dated joining while the partner was admitted, though excluded since', () => {
    expect(group.given([formed]).when(join(partnerState(memberId, admission, exclusion), '2026-01-31')).events()).toHaveLength(1);
  });

  it('answers not found when there is no such partner or no group', () => {
    group.given([formed]).when(join(undefined)).thenNotFound('partner');
    group.given([formed]).when(join(admittedLead)).thenNotFound('partner');
    group.given([]).when(join(admittedMember)).thenNotFound('group');
  });

  it('refuses a partner who is already a member', () => {
    group.given([formed, joined]).when(join(admittedMember, '2025-12-01')).thenRefuses('already-member');
  });

  it('lets a former member join again, not before they left', () => {
    expect(group.given([formed, joined, memberLeft]).when(join(admittedMember, '2026-01-10')).events()).toHaveLength(1);
    group.given([formed, joined, memberLeft]).when(join(admittedMember, '2026-01-09')).thenRefuses('date-order');
  });

  it('refuses a joining before the group started, or once it is dissolved', () => {
    group.given([formed]).when(join(admittedMember, '2025-10-31')).thenRefuses('date-order');
    group.given([formed, dissolved]).when(join(admittedMember)).thenRefuses('group-dissolved');
  });
});

describe('LeaveGroup', () => {
  it('records that a member left', () => {
    group.given([formed, joined]).when(leave()).then([memberLeft]);
    expect(group.given([formed, joined]).when(leave('2025-11-10')).events()).toHaveLength(1);
  });

  it('refuses a partner who is not a member, such as a lead who never joined', () => {
    group.given([formed]).when(leave('2026-01-10', leadId)).thenRefuses('not-a-member');
    group.given([formed, joined, memberLeft]).when(leave('2026-01-11')).thenRefuses('not-a-member');
  });

  it('refuses a day before the member joined', () => {
    group.given([formed, joined]).when(leave('2025-11-09')).thenRefuses('date-order');
  });

  it('records a departure after the dissolution only if it happened before the group ended', () => {
    expect(group.given([formed, joined, dissolved]).when(leave('2026-03-01')).events()).toHaveLength(1);
    group.given([formed, joined, dissolved]).when(leave('2026-03-02')).thenRefuses('group-dissolved');
    group.given([]).when(leave()).thenNotFound('group');
  });
});

describe('ChangeLead', () => {
  const changeLead = (partner: PartnerState | undefined, occurredAt = '2025-12-01T10:00:00+01:00', partnerId = memberId) =>
    command('ChangeLead', { partnerId, occurredAt }, partner ? { partner } : {});

  it('hands the lead to an admitted partner, who does not become a member', () => {
    const event: GroupEvent = {
      type: 'GroupLeadChanged',
      data: { partnerId: memberId, occurredAt: '2025-12-01T10:00:00+01:00' },
      occurredAt: '2025-12-01T10:00:00+01:00',
    };
    group.given([formed]).when(changeLead(admittedMember)).then([event]);
    const state = stateOf([formed, event]);
    expect(state.leadPartnerId).toBe(memberId);
    expect(state.leadChanges).toEqual([event.data]);
    expect(state.members).toEqual([]);
  });

  it('refuses a partner who is not admitted on that day, or no partner at all', () => {
    group.given([formed]).when(changeLead(partnerState(memberId))).thenRefuses('partner-not-admitted');
    group.given([formed]).when(changeLead(partnerState(memberId, admission, exclusion), '2026-02-01T08:00:00+01:00')).thenRefuses('partner-not-admitted');
    group.given([formed]).when(changeLead(undefined)).thenNotFound('partner');
  });

  it('refuses the partner who already leads', () => {
    group.given([formed]).when(changeLead(admittedLead, undefined, leadId)).thenRefuses('already-lead');
  });

  it('refuses a date before the start or before the previous change', () => {
    group.given([formed]).when(changeLead(admittedMember, '2025-10-31T23:30:00+01:00')).thenRefuses('date-order');
    const earlier: GroupEvent = { type: 'GroupLeadChanged', data: { partnerId: memberId, occurredAt: '2025-12-01T10:00:00Z' }, occurredAt: '2025-12-01T10:00:00Z' };
    group.given([formed, earlier]).when(changeLead(admittedLead, '2025-12-01T10:30:00+01:00', leadId)).thenRefuses('date-order');
  });

  it('refuses once the group is dissolved', () => {
    group.given([formed, dissolved]).when(changeLead(admittedMember)).thenRefuses('group-dissolved');
  });
});

describe('AmendMandate', () => {
  const mandateResolution = resolution({ resolutionId: mandateResolutionId, kind: 'group-mandate', subject: { groupId }, decidedOn: '2025-12-01' });
  const amend = (resolutionSummary: ResolutionSummary | undefined, occurredAt = '2025-12-01T18:00:00+01:00') =>
    command(
      'AmendMandate',
      { mandate: 'Pflege- und Betreuungskräfte gewinnen', resolutionId: mandateResolutionId, occurredAt },
      resolutionSummary ? { resolution: resolutionSummary } : {},
    );
  const amended: GroupEvent = {
    type: 'GroupMandateAmended',
    data: { mandate: 'Pflege- und Betreuungskräfte gewinnen', resolutionId: mandateResolutionId, occurredAt: '2025-12-01T18:00:00+01:00' },
    occurredAt: '2025-12-01T18:00:00+01:00',
  };

  it('amends the mandate on an adopted group-mandate resolution naming the group', () => {
    group.given([formed]).when(amend(mandateResolution)).then([amended]);
    const state = stateOf([formed, amended]);
    expect(state.mandate).toBe('Pflege- und Betreuungskräfte gewinnen');
    expect(state.mandateAmendments).toEqual([amended.data]);
    expect(state.formedBy).toBe(formationId);
  });

  it.each<[string, Partial<ResolutionSummary>]>([
    ['naming another group', { subject: { groupId: otherGroupId } }],
    ['of another kind', { kind: 'group-dissolution' }],
    ['that was rejected', { outcome: 'rejected' }],
    ['that was revoked', { revokedBy: revocationId }],
    ['adopted only after the amendment', { decidedOn: '2025-12-02' }],
  ])('is refused with a resolution %s', (_why, overrides) => {
    group.given([formed]).when(amend({ ...mandateResolution, ...overrides })).thenRefuses('mandate-resolution-required');
  });

  it('answers not found when the resolution does not exist', () => {
    group.given([formed]).when(amend(undefined)).thenNotFound('resolution');
    group.given([]).when(amend(mandateResolution)).thenNotFound('group');
  });

  it('refuses a date before the start or before the previous amendment, and a dissolved group', () => {
    group.given([formed]).when(amend(mandateResolution, '2025-10-31T12:00:00+01:00')).thenRefuses('date-order');
    group.given([formed, amended]).when(amend(mandateResolution, '2025-12-01T17:00:00+01:00')).thenRefuses('date-order');
    group.given([formed, dissolved]).when(amend(mandateResolution)).thenRefuses('group-dissolved');
  });
});

describe('DissolveGroup', () => {
  const dissolution = resolution({ resolutionId: dissolutionId, kind: 'group-dissolution', subject: { groupId }, decidedOn: '2026-02-20' });
  const dissolve = (resolutionSummary: ResolutionSummary | undefined, dissolvedOn = '2026-03-01') =>
    command(
      'DissolveGroup',
      { resolutionId: dissolutionId, dissolvedOn, finalReportRef: 'report-2026-03' },
      resolutionSummary ? { resolution: resolutionSummary } : {},
    );

  it('dissolves the group on an adopted group-dissolution resolution, with its final report', () => {
    group.given([formed, joined]).when(dissolve(dissolution)).then([dissolved]);
    expect(stateOf([formed, joined, dissolved])).toMatchObject({
      status: 'dissolved',
      dissolvedOn: '2026-03-01',
      dissolvedBy: dissolutionId,
      finalReportRef: 'report-2026-03',
      formedBy: formationId,
    });
  });

  it.each<[string, Partial<ResolutionSummary>]>([
    ['naming another group', { subject: { groupId: otherGroupId } }],
    ['of another kind', { kind: 'group-mandate' }],
    ['that was rejected', { outcome: 'rejected' }],
    ['that was revoked', { revokedBy: revocationId }],
    ['adopted only after the dissolution', { decidedOn: '2026-03-02' }],
  ])('is refused with a resolution %s', (_why, overrides) => {
    group.given([formed]).when(dissolve({ ...dissolution, ...overrides })).thenRefuses('dissolution-resolution-required');
  });

  it('answers not found when the resolution or the group does not exist', () => {
    group.given([formed]).when(dissolve(undefined)).thenNotFound('resolution');
    group.given([]).when(dissolve(dissolution)).thenNotFound('group');
  });

  it('is refused twice', () => {
    group.given([formed, dissolved]).when(dissolve(dissolution)).thenRefuses('group-dissolved');
  });

  it('refuses a day before the start, or before a current member joined', () => {
    group.given([formed]).when(dissolve({ ...dissolution, decidedOn: '2025-10-01' }, '2025-10-31')).thenRefuses('date-order');
    group.given([formed, joined]).when(dissolve({ ...dissolution, decidedOn: '2025-11-01' }, '2025-11-09')).thenRefuses('date-order');
  });
});

describe('GroupState: membership over time', () => {
  const rejoined: GroupEvent = { type: 'GroupMemberJoined', data: { partnerId: memberId, joinedOn: '2026-02-01' }, occurredAt: '2026-02-01' };

  it('counts a member from the day of joining up to, not including, the day of leaving', () => {
    const state = stateOf([formed, joined, memberLeft]);
    expect(isMemberOn(state, memberId, '2025-11-09')).toBe(false);
    expect(isMemberOn(state, memberId, '2025-11-10')).toBe(true);
    expect(isMemberOn(state, memberId, '2026-01-09')).toBe(true);
    expect(isMemberOn(state, memberId, '2026-01-10')).toBe(false);
  });

  it('keeps earlier memberships of a partner who joined again', () => {
    const state = stateOf([formed, joined, memberLeft, rejoined]);
    expect(state.members).toEqual([{ partnerId: memberId, joinedOn: '2026-02-01' }]);
    expect(state.pastMemberships).toEqual([{ partnerId: memberId, joinedOn: '2025-11-10', leftOn: '2026-01-10' }]);
    expect(isMemberOn(state, memberId, '2025-12-01')).toBe(true);
    expect(isMemberOn(state, memberId, '2026-01-20')).toBe(false);
    expect(isMemberOn(state, memberId, '2026-02-01')).toBe(true);
  });

  it('ends every membership on the day of dissolution', () => {
    const state = stateOf([formed, joined, dissolved]);
    expect(membersOn(state, '2026-02-28')).toEqual([memberId]);
    expect(membersOn(state, '2026-03-01')).toEqual([]);
    expect((fold(groupDecider, []) as GroupState).status).toBe('none');
  });
});
