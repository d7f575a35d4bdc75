import { defaultRules } from '../../src/domain/rules/rules-of-procedure';
import { createReadModels, type ReadModels } from '../../src/projections/read-models';
import { History, toStored, uuid } from './history';

/**
 * The read models' JSON for a small history of the alliance as the release describes it: field names as in
 * API.md, personal data only when asked for, two kinds of time.
 */

const ids = {
  patron: uuid(901),
  statement: uuid(902),
  chair: uuid(903),
  chairSubject: uuid(904),
  unionMember: uuid(905),
  unionSubject: uuid(906),
  deputy: uuid(907),
  deputySubject: uuid(908),
  partner: uuid(909),
  contactSubject: uuid(910),
  rejected: uuid(911),
  meeting: uuid(912),
  item: uuid(913),
  resolution: uuid(914),
  group: uuid(915),
  lateMember: uuid(916),
  lateSubject: uuid(917),
};

function history(): History {
  const h = new History('2025-09-12T08:00:00.000Z');
  h.record('patron-main', 'PatronAppointed', { patronId: ids.patron, name: 'Dirk Panter', office: 'Staatsminister für Wirtschaft und Arbeit', startDate: '2025-09-01' }, '2025-09-01');
  h.record('alliance-main', 'AllianceConstituted', { name: 'Fachkräfteallianz Sachsen', constitutedOn: '2025-09-12', place: 'Dresden', strategyRef: 'Fachkräftestrategie Sachsen 2030', officeEmail: 'fachkraefteallianz@smwa.sachsen.de' }, '2025-09-12');
  h.record('patron-main', 'StatementIssued', { statementId: ids.statement, patronId: ids.patron, text: 'Fachkräfte sind der Schlüssel.', language: 'de', occasion: 'Neuausrichtung', issuedOn: '2025-09-12', sourceRef: 'Medieninformation 12.09.2025' }, '2025-09-12');
  h.record('board-main', 'BoardEstablished', { name: 'Beschließendes Gremium', establishedOn: '2025-09-12', seats: { ministry: 2, municipal: 2, chamber: 2, association: 1, union: 1, welfare: 1 }, rules: defaultRules }, '2025-09-12');
  h.record('board-main', 'BoardMemberAppointed', { memberId: ids.chair, person: { subjectId: ids.chairSubject, name: 'Vorsitzende Person' }, onBehalfOf: 'SMWA', seatCategory: 'ministry', role: 'chair', votingRight: true, startDate: '2025-09-12' }, '2025-09-12');
  h.record('board-main', 'BoardMemberAppointed', { memberId: ids.unionMember, person: { subjectId: ids.unionSubject, name: 'Gewerkschaftsvertretung' }, onBehalfOf: 'DGB Sachsen', seatCategory: 'union', role: 'member', votingRight: true, startDate: '2025-09-12', endDate: '2025-12-31' }, '2025-09-12');
  h.record('board-main', 'DeputyAppointed', { deputyId: ids.deputy, memberId: ids.chair, person: { subjectId: ids.deputySubject, name: 'Stellvertretung' }, startDate: '2025-09-12' }, '2025-09-12');
  h.advance(3 * 86_400_000);
  h.record('partner-' + ids.partner, 'PartnerApplied', { partnerId: ids.partner, organisation: { name: 'Handwerksbetrieb Müller', category: 'employer', city: 'Chemnitz' }, contact: { subjectId: ids.contactSubject, name: 'Erika Muster', email: 'erika@example.org' }, expertise: ['Ausbildung'], channel: 'email', receivedOn: '2025-09-15', messageRef: '<a1@example.org>' }, '2025-09-15');
  h.record('partner-' + ids.rejected, 'PartnerApplied', { partnerId: ids.rejected, organisation: { name: 'Anderswo GmbH', category: 'other' }, contact: { subjectId: uuid(920), name: 'Max Muster', email: 'max@example.org' }, expertise: [], channel: 'letter', receivedOn: '2025-09-15' }, '2025-09-15');
  h.advance(16 * 86_400_000);
  h.record('partner-' + ids.partner, 'PartnerAdmitted', { decidedOn: '2025-10-01', by: 'office' }, '2025-10-01');
  h.record('partner-' + ids.rejected, 'PartnerRejected', { decidedOn: '2025-10-01', reason: 'nicht in Sachsen tätig' }, '2025-10-01');
  h.record(`meeting-${ids.meeting}`, 'MeetingScheduled', { meetingId: ids.meeting, title: '1. Sitzung', date: '2025-10-20', place: 'Dresden', urgent: false, agenda: [{ id: ids.item, order: 1, title: 'AG Fachkräftegewinnung', public: true }] }, '2025-10-20');
  h.record(`meeting-${ids.meeting}`, 'InvitationSent', { sentOn: '2025-10-01', timely: true, periodDays: 7, rulesVersion: 1 }, '2025-10-01');
  h.record(`resolution-${ids.resolution}`, 'ResolutionProposed', { resolutionId: ids.resolution, title: 'Bildung der AG', text: 'Das Gremium bildet eine AG.', kind: 'group-formation', subject: { group: { kind: 'working', name: 'AG Fachkräftegewinnung', mandate: 'Fachkräfte gewinnen' } }, meetingId: ids.meeting, agendaItemId: ids.item, proposedOn: '2025-10-01' }, '2025-10-01');
  h.advance(19 * 86_400_000);
  h.record(`meeting-${ids.meeting}`, 'AttendanceRecorded', { present: [ids.chair, ids.unionMember], deputies: [], occurredAt: '2025-10-20T08:00:00.000Z' }, '2025-10-20T08:00:00.000Z');
  h.record(`resolution-${ids.resolution}`, 'VotesRecorded', { votes: [{ memberId: ids.chair, vote: 'yes' }], recusals: [ids.unionMember], occurredAt: '2025-10-20T09:00:00.000Z' }, '2025-10-20T09:00:00.000Z');
  h.record(`resolution-${ids.resolution}`, 'ResolutionDecided', {
    outcome: 'adopted',
    decidedOn: '2025-10-20',
    basis: { procedure: 'meeting', votingMembers: 2, present: 1, recused: 1, quorumMet: true, tally: { yes: 1, no: 0, abstain: 0 }, presidingMemberId: ids.chair, rulesVersion: 1, rules: defaultRules, votingMemberIds: [ids.chair, ids.unionMember], presentMemberIds: [ids.chair], recusedMemberIds: [ids.unionMember] },
  }, '2025-10-20');
  h.record(`meeting-${ids.meeting}`, 'MeetingClosed', { occurredAt: '2025-10-20T12:00:00.000Z', minutesRef: 'Protokoll 1/2025' }, '2025-10-20T12:00:00.000Z');
  h.record(`group-${ids.group}`, 'GroupFormed', { groupId: ids.group, kind: 'working', name: 'AG Fachkräftegewinnung', mandate: 'Fachkräfte gewinnen', resolutionId: ids.resolution, leadPartnerId: ids.partner, startDate: '2025-10-21' }, '2025-10-21');
  h.record(`group-${ids.group}`, 'GroupMemberJoined', { partnerId: ids.partner, joinedOn: '2025-10-22' }, '2025-10-22');
  h.advance(12 * 86_400_000);
  // 2025-11-01: a member appointed from 12.09. is recorded late (back-dated), and the statement is corrected
  h.record('board-main', 'BoardMemberAppointed', { memberId: ids.lateMember, person: { subjectId: ids.lateSubject, name: 'Kammervertretung' }, onBehalfOf: 'IHK Dresden', seatCategory: 'chamber', role: 'member', votingRight: false, startDate: '2025-09-12' }, '2025-09-12');
  h.record('patron-main', 'StatementCorrected', { correctionId: uuid(930), statementId: ids.statement, text: 'Fachkräfte sind der Schlüssel für Sachsen.', reason: 'vollständiges Zitat', occurredAt: '2025-11-01T10:00:00.000Z' }, '2025-11-01T10:00:00.000Z');
  h.record(`resolution-${ids.resolution}`, 'ResolutionCorrected', { correctionId: uuid(931), text: 'Das Gremium bildet die AG Fachkräftegewinnung.', reason: 'Name der AG', occurredAt: '2025-11-01T10:00:00.000Z' }, '2025-11-01T10:00:00.000Z');
  return h;
}

let models: ReadModels;
const now = new Date('2025-11-15T12:00:00Z');

beforeAll(() => {
  models = createReadModels();
  for (const event of toStored(history().events)) models.apply(event);
});

describe('GET /v1/board', () => {
  it('lists the members in office with role, voting right, seat, dates and deputies, without names for the public', () => {
    const board = models.board({ asOf: '2025-10-01' })!;
    expect(board).toMatchObject({ name: 'Beschließendes Gremium', establishedOn: '2025-09-12', rulesVersion: 1, rules: defaultRules });
    expect(board.members.map((m) => m.id)).toEqual([ids.chair, ids.lateMember, ids.unionMember]);
    expect(board.members[0]).toEqual({
      id: ids.chair,
      onBehalfOf: 'SMWA',
      seatCategory: 'ministry',
      role: 'chair',
      votingRight: true,
      startDate: '2025-09-12',
      inOffice: true,
      deputies: [{ id: ids.deputy, startDate: '2025-09-12' }],
    });
    expect(JSON.stringify(board)).not.toMatch(/Vorsitzende|Stellvertretung|subjectId/);
    expect(board.seatsUsed.ministry).toEqual({ seats: 2, used: 1, free: 1 });
    expect(board.seatsUsed.union).toEqual({ seats: 1, used: 1, free: 0 });
  });

  it('gives names with the subjectId to readers allowed personal data', () => {
    const board = models.board({ asOf: '2025-10-01', withPersonalData: true })!;
    expect(board.members[0]).toMatchObject({ name: 'Vorsitzende Person', subjectId: ids.chairSubject });
    expect(board.members[0]!.deputies[0]).toEqual({ id: ids.deputy, name: 'Stellvertretung', subjectId: ids.deputySubject, startDate: '2025-09-12' });
  });

  it('answers asOf with what we know now, knownAt with what the ledger said then', () => {
    // the chamber member was recorded on 01.11. for a term from 12.09.
    expect(models.board({ asOf: '2025-09-12' })!.members.map((m) => m.id)).toContain(ids.lateMember);
    expect(models.board({ knownAt: '2025-10-15T00:00:00Z' })!.members.map((m) => m.id)).not.toContain(ids.lateMember);
    expect(models.board({ asOf: '2025-09-12', knownAt: '2025-10-15T00:00:00Z' })!.members).toHaveLength(2);
    // the union member's term ended on 31.12.
    expect(models.board({ asOf: '2026-01-01' })!.members.map((m) => m.id)).toEqual([ids.chair, ids.lateMember]);
  });

  it('is absent before the establishment', () => {
    expect(models.board({ asOf: '2025-09-11' })).toBeUndefined();
    expect(models.board({ knownAt: '2025-09-12T07:59:59.999Z' })).toBeUndefined();
  });
});

describe('GET /v1/partners', () => {
  it('shows status, category, expertise and groups; contact only with personal data', () => {
    const partner = models.partner(ids.partner, { now })!;
    expect(partner).toMatchObject({
      id: ids.partner,
      organisation: { name: 'Handwerksbetrieb Müller', category: 'employer', city: 'Chemnitz' },
      category: 'employer',
      status: 'admitted',
      expertise: ['Ausbildung'],
      admittedOn: '2025-10-01',
      admittedBy: 'office',
      groups: [{ groupId: ids.group, name: 'AG Fachkräftegewinnung', kind: 'working', joinedOn: '2025-10-22' }],
    });
    expect(partner.contact).toBeUndefined();
    expect(JSON.stringify(partner)).not.toMatch(/Erika|erika@|a1@example/);
    expect(models.partner(ids.partner, { now, withPersonalData: true })!.contact).toEqual({ subjectId: ids.contactSubject, name: 'Erika Muster', email: 'erika@example.org' });
    expect(models.partnerContact(ids.partner)).toEqual({ subjectId: ids.contactSubject, name: 'Erika Muster', email: 'erika@example.org' });
  });

  it('filters by status and category and pages', () => {
    expect(models.partners({ status: 'rejected' }).items.map((p) => p.id)).toEqual([ids.rejected]);
    expect(models.partners({ category: 'employer' }).items.map((p) => p.id)).toEqual([ids.partner]);
    expect(models.partners({ asOf: '2025-09-30' }).items.map((p) => p.status)).toEqual(['applied', 'applied']);
    const page = models.partners({}, { page: 2, limit: 1 });
    expect(page.total).toBe(2);
    expect(page.items).toHaveLength(1);
  });
});

describe('GET /v1/resolutions', () => {
  it('gives the resolution with its meeting, dates, outcome, basis, votes, corrections and audit trail', () => {
    const resolution = models.resolution(ids.resolution)!;
    expect(resolution).toMatchObject({
      id: ids.resolution,
      kind: 'group-formation',
      procedure: 'meeting',
      meeting: { id: ids.meeting, title: '1. Sitzung', date: '2025-10-20' },
      proposedOn: '2025-10-01',
      decidedOn: '2025-10-20',
      outcome: 'adopted',
      status: 'decided',
      votes: [{ memberId: ids.chair, vote: 'yes' }],
      recusals: [ids.unionMember],
      currentText: 'Das Gremium bildet die AG Fachkräftegewinnung.',
      text: 'Das Gremium bildet eine AG.',
    });
    expect(resolution.basis).toMatchObject({ votingMembers: 2, present: 1, recused: 1, quorumMet: true, tally: { yes: 1, no: 0, abstain: 0 }, rulesVersion: 1 });
    expect(resolution.trail.map((t) => t.type)).toEqual(['ResolutionProposed', 'VotesRecorded', 'ResolutionDecided', 'ResolutionCorrected']);
    expect(resolution.trail[0]).toEqual({
      type: 'ResolutionProposed',
      occurredAt: '2025-10-01',
      recordedAt: '2025-10-01T08:00:00.000Z',
      actor: { id: 'office-1', role: 'office' },
      position: expect.stringMatching(/^\d+$/),
      eventId: expect.any(String),
    });
  });

  it('answers undecided before the decision and without the correction before it was recorded', () => {
    const then = models.resolution(ids.resolution, { knownAt: '2025-10-10T00:00:00Z' })!;
    expect(then).toMatchObject({ outcome: null, decidedOn: null, basis: null, corrections: [], status: 'proposed' });
    expect(then.trail).toHaveLength(1);
    expect(models.resolutions({ outcome: null, knownAt: '2025-10-10T00:00:00Z' }).total).toBe(1);
    expect(models.resolutions({ outcome: 'adopted' }).items.map((r) => r.id)).toEqual([ids.resolution]);
    expect(models.resolutions({ kind: 'general' }).total).toBe(0);
  });
});

describe('GET /v1/meetings/{id}', () => {
  it('gives agenda, invitation, attendance, recusals, resolutions and minutes', () => {
    expect(models.meeting(ids.meeting)).toEqual({
      id: ids.meeting,
      title: '1. Sitzung',
      date: '2025-10-20',
      place: 'Dresden',
      urgent: false,
      status: 'closed',
      agenda: [{ id: ids.item, order: 1, title: 'AG Fachkräftegewinnung', public: true }],
      invitation: { sentOn: '2025-10-01', timely: true, periodDays: 7, rulesVersion: 1 },
      attendance: { present: [ids.chair, ids.unionMember], deputies: [], occurredAt: '2025-10-20T08:00:00.000Z' },
      recusals: [{ agendaItemId: ids.item, resolutionId: ids.resolution, memberIds: [ids.unionMember] }],
      resolutions: [{ id: ids.resolution, title: 'Bildung der AG', kind: 'group-formation', agendaItemId: ids.item, outcome: 'adopted', decidedOn: '2025-10-20' }],
      minutesRef: 'Protokoll 1/2025',
      closedAt: '2025-10-20T12:00:00.000Z',
    });
    expect(models.meetings({ from: '2025-10-21' }).total).toBe(0);
    expect(models.meeting(ids.meeting, { asOf: '2025-10-19' })).toBeUndefined();
  });
});

describe('GET /v1/groups', () => {
  it('gives kind, mandate, lead, members, status and the resolutions that formed it', () => {
    expect(models.group(ids.group, { now })).toMatchObject({
      id: ids.group,
      kind: 'working',
      mandate: 'Fachkräfte gewinnen',
      status: 'active',
      leadPartnerId: ids.partner,
      members: [{ partnerId: ids.partner, organisation: 'Handwerksbetrieb Müller', joinedOn: '2025-10-22' }],
      resolutions: [{ resolutionId: ids.resolution, effect: 'formed', occurredAt: '2025-10-21', title: 'Bildung der AG' }],
    });
    // the lead is not a member by being lead: on 21.10. the group has no members yet
    expect(models.group(ids.group, { asOf: '2025-10-21' })!.members).toEqual([]);
    expect(models.groups({ kind: 'project' }).total).toBe(0);
  });
});

describe('GET /v1/alliance and the patron', () => {
  it('gives the alliance with its patron, a board summary and counts', () => {
    expect(models.alliance({ now })).toEqual({
      name: 'Fachkräfteallianz Sachsen',
      constitutedOn: '2025-09-12',
      place: 'Dresden',
      strategyRef: 'Fachkräftestrategie Sachsen 2030',
      officeEmail: 'fachkraefteallianz@smwa.sachsen.de',
      patron: { id: ids.patron, name: 'Dirk Panter', office: 'Staatsminister für Wirtschaft und Arbeit', startDate: '2025-09-01' },
      board: { name: 'Beschließendes Gremium', establishedOn: '2025-09-12', seats: { ministry: 2, municipal: 2, chamber: 2, association: 1, union: 1, welfare: 1 }, seatsTotal: 9, seatsUsed: 3, members: 3, votingMembers: 2 },
      partners: { total: 2, applied: 0, admitted: 1, rejected: 1, withdrawn: 0, left: 0, excluded: 0 },
      groups: { total: 1, active: 1, dissolved: 0, working: 1, project: 0 },
    });
    expect(models.alliance({ asOf: '2025-09-11' })).toBeUndefined();
  });

  it('lists statements with their corrections, the original kept', () => {
    const [statement] = models.statements().items;
    expect(statement).toMatchObject({ id: ids.statement, text: 'Fachkräfte sind der Schlüssel.', currentText: 'Fachkräfte sind der Schlüssel für Sachsen.', patron: { name: 'Dirk Panter' } });
    expect(statement!.corrections).toHaveLength(1);
    expect(models.statements({ knownAt: '2025-10-01T00:00:00Z' }).items[0]!.corrections).toEqual([]);
  });
});

describe('answers are copies', () => {
  it('changing an answer does not change the read model', () => {
    const board = models.board({ asOf: '2025-10-01' })!;
    board.rules.quorumMinimumPresent = 99;
    board.members.pop();
    const resolution = models.resolution(ids.resolution)!;
    (resolution.basis as { quorumMet: boolean }).quorumMet = false;
    expect(models.board({ asOf: '2025-10-01' })!.rules.quorumMinimumPresent).toBe(defaultRules.quorumMinimumPresent);
    expect(models.board({ asOf: '2025-10-01' })!.members).toHaveLength(3);
    expect(models.resolution(ids.resolution)!.basis!.quorumMet).toBe(true);
  });
});
