import { appointBoardMemberData, changeRulesData, establishBoardData, type BoardCommand } from '../../src/domain/board/commands';
import { boardDecider, MEMBER_DEPARTED_REASON } from '../../src/domain/board/decider';
import type { BoardEvent } from '../../src/domain/board/events';
import type { SeatCategory } from '../../src/domain/board/seats';
import { deputyInOffice, membersInOffice, rulesInForce, type EstablishedBoard } from '../../src/domain/board/state';
import type { ResolutionSummary } from '../../src/domain/resolution/summary';
import { defaultRules, type RulesOfProcedure } from '../../src/domain/rules/rules-of-procedure';
import { fold } from '../../src/domain/shared/decider';
import { spec } from '../support/decider-spec';

const metadata = { now: '2025-10-01T10:00:00+02:00', actor: { id: 'office-1', role: 'office' as const } };
const uuid = (n: number) => `3f6c1a2b-9d4e-4f10-8a7b-${n.toString().padStart(12, '0')}`;
const seats = { ministry: 2, municipal: 1, chamber: 2, association: 1, union: 1, welfare: 1 };

const established: BoardEvent = {
  type: 'BoardEstablished',
  data: { name: 'Beschließendes Gremium', establishedOn: '2025-09-12', seats, rules: defaultRules },
  occurredAt: '2025-09-12',
};

interface MemberInput {
  memberId: string;
  seatCategory?: SeatCategory;
  role?: 'chair' | 'deputy-chair' | 'member';
  votingRight?: boolean;
  startDate?: string;
  endDate?: string;
}
const memberData = ({ memberId, seatCategory = 'municipal', role = 'member', votingRight = true, startDate = '2025-09-12', endDate }: MemberInput) => ({
  memberId,
  onBehalfOf: 'Sächsischer Städte- und Gemeindetag',
  seatCategory,
  role,
  votingRight,
  startDate,
  ...(endDate !== undefined && { endDate }),
});
const appoint = (m: MemberInput): BoardCommand => ({
  type: 'AppointBoardMember',
  data: { ...memberData(m), subjectId: uuid(900), name: 'Vertreter:in SSG' },
  metadata,
});
const appointed = (m: MemberInput): BoardEvent => ({
  type: 'BoardMemberAppointed',
  data: { ...memberData(m), person: { subjectId: uuid(900), name: 'Vertreter:in SSG' } },
  occurredAt: m.startDate ?? '2025-09-12',
});
const departed = (memberId: string, endDate: string): BoardEvent => ({ type: 'BoardMemberDeparted', data: { memberId, endDate }, occurredAt: endDate });

const deputyData = (deputyId: string, memberId: string, startDate: string, endDate?: string) => ({
  deputyId,
  memberId,
  startDate,
  ...(endDate !== undefined && { endDate }),
});
const appointDeputy = (deputyId: string, memberId: string, startDate: string, endDate?: string): BoardCommand => ({
  type: 'AppointDeputy',
  data: { ...deputyData(deputyId, memberId, startDate, endDate), subjectId: uuid(901), name: 'Stellvertreter:in' },
  metadata,
});
const deputyAppointed = (deputyId: string, memberId: string, startDate: string, endDate?: string): BoardEvent => ({
  type: 'DeputyAppointed',
  data: { ...deputyData(deputyId, memberId, startDate, endDate), person: { subjectId: uuid(901), name: 'Stellvertreter:in' } },
  occurredAt: startDate,
});

const A = uuid(1);
const B = uuid(2);
const C = uuid(3);
const D1 = uuid(11);
const D2 = uuid(12);

describe('board', () => {
  describe('EstablishBoard', () => {
    it('establishes the board with the default rules when none are given', () => {
      spec(boardDecider)
        .given([])
        .when({ type: 'EstablishBoard', data: { name: 'Beschließendes Gremium', establishedOn: '2025-09-12', seats }, metadata })
        .then([established]);
    });

    it('establishes the board with its own rules', () => {
      const rules: RulesOfProcedure = { ...defaultRules, invitationPeriodDays: 14 };
      spec(boardDecider)
        .given([])
        .when({ type: 'EstablishBoard', data: { name: 'Gremium', establishedOn: '2025-09-12', seats, rules }, metadata })
        .then([{ type: 'BoardEstablished', data: { name: 'Gremium', establishedOn: '2025-09-12', seats, rules }, occurredAt: '2025-09-12' }]);
    });

    it('is refused a second time', () => {
      spec(boardDecider)
        .given([established])
        .when({ type: 'EstablishBoard', data: { name: 'Gremium', establishedOn: '2026-01-01', seats }, metadata })
        .thenRefuses('board-already-established');
    });
  });

  describe('AppointBoardMember', () => {
    it('appoints a member; the name goes into the event as the person', () => {
      spec(boardDecider).given([established]).when(appoint({ memberId: A })).then([appointed({ memberId: A })]);
      const [event] = spec(boardDecider).given([established]).when(appoint({ memberId: A })).events();
      expect(event!.data).not.toHaveProperty('endDate');
      expect(event!.data).not.toHaveProperty('name');
    });

    it('appoints a member for a fixed term', () => {
      spec(boardDecider)
        .given([established])
        .when(appoint({ memberId: A, endDate: '2026-12-31' }))
        .then([appointed({ memberId: A, endDate: '2026-12-31' })]);
    });

    it('is refused before the board is established', () => {
      spec(boardDecider).given([]).when(appoint({ memberId: A })).thenRefuses('board-not-established');
    });

    it('is refused for a start before the establishment day', () => {
      spec(boardDecider).given([established]).when(appoint({ memberId: A, startDate: '2025-09-11' })).thenRefuses('board-not-established');
    });

    it('is refused when the end lies before the start', () => {
      spec(boardDecider).given([established]).when(appoint({ memberId: A, startDate: '2025-10-01', endDate: '2025-09-30' })).thenRefuses('invalid-period');
    });

    describe('seats', () => {
      it('refuses a member when the category is full', () => {
        spec(boardDecider).given([established, appointed({ memberId: A })]).when(appoint({ memberId: B, startDate: '2026-01-01' })).thenRefuses('seat-category-full');
      });

      it('refuses a member in a category without seats', () => {
        const noWelfare: BoardEvent = { ...established, data: { ...established.data, seats: { ...seats, welfare: 0 } } } as BoardEvent;
        spec(boardDecider).given([noWelfare]).when(appoint({ memberId: A, seatCategory: 'welfare' })).thenRefuses('seat-category-full');
      });

      it('fills every seat of a category with several', () => {
        spec(boardDecider)
          .given([established, appointed({ memberId: A, seatCategory: 'ministry' })])
          .when(appoint({ memberId: B, seatCategory: 'ministry' }))
          .then([appointed({ memberId: B, seatCategory: 'ministry' })]);
      });

      it('does not count members of other categories', () => {
        spec(boardDecider)
          .given([established, appointed({ memberId: A, seatCategory: 'union' })])
          .when(appoint({ memberId: B, seatCategory: 'municipal' }))
          .then([appointed({ memberId: B, seatCategory: 'municipal' })]);
      });

      it("keeps the seat taken on a departed member's last day", () => {
        spec(boardDecider)
          .given([established, appointed({ memberId: A }), departed(A, '2025-12-31')])
          .when(appoint({ memberId: B, startDate: '2025-12-31' }))
          .thenRefuses('seat-category-full');
      });

      it('frees the seat from the day after a departure', () => {
        spec(boardDecider)
          .given([established, appointed({ memberId: A }), departed(A, '2025-12-31')])
          .when(appoint({ memberId: B, startDate: '2026-01-01' }))
          .then([appointed({ memberId: B, startDate: '2026-01-01' })]);
      });

      it('frees the seat after a planned end of term', () => {
        spec(boardDecider)
          .given([established, appointed({ memberId: A, endDate: '2025-12-31' })])
          .when(appoint({ memberId: B, startDate: '2026-01-01' }))
          .then([appointed({ memberId: B, startDate: '2026-01-01' })]);
      });

      it('refuses an open-ended term overlapping a future appointment to the last seat', () => {
        spec(boardDecider)
          .given([established, appointed({ memberId: A, startDate: '2026-01-01' })])
          .when(appoint({ memberId: B, startDate: '2025-10-01' }))
          .thenRefuses('seat-category-full');
      });

      it('accepts a term that ends before a future appointment to the same seat', () => {
        spec(boardDecider)
          .given([established, appointed({ memberId: A, startDate: '2026-01-01' })])
          .when(appoint({ memberId: B, startDate: '2025-10-01', endDate: '2025-12-31' }))
          .then([appointed({ memberId: B, startDate: '2025-10-01', endDate: '2025-12-31' })]);
      });

      it('counts the members in office day by day, not every member overlapping the period', () => {
        // two ministry seats: A until March, B from June; C fits beside either of them
        spec(boardDecider)
          .given([
            established,
            appointed({ memberId: A, seatCategory: 'ministry', endDate: '2026-03-31' }),
            appointed({ memberId: B, seatCategory: 'ministry', startDate: '2026-06-01' }),
          ])
          .when(appoint({ memberId: C, seatCategory: 'ministry' }))
          .then([appointed({ memberId: C, seatCategory: 'ministry' })]);
      });
    });

    describe('roles', () => {
      it('refuses a second chair in office at the same time', () => {
        spec(boardDecider)
          .given([established, appointed({ memberId: A, seatCategory: 'ministry', role: 'chair' })])
          .when(appoint({ memberId: B, seatCategory: 'chamber', role: 'chair', startDate: '2026-01-01' }))
          .thenRefuses('role-taken');
      });

      it('refuses a second deputy chair in office at the same time', () => {
        spec(boardDecider)
          .given([established, appointed({ memberId: A, seatCategory: 'ministry', role: 'deputy-chair' })])
          .when(appoint({ memberId: B, seatCategory: 'chamber', role: 'deputy-chair' }))
          .thenRefuses('role-taken');
      });

      it('refuses a chair whose term would overlap a future chair', () => {
        spec(boardDecider)
          .given([established, appointed({ memberId: A, seatCategory: 'ministry', role: 'chair', startDate: '2026-01-01' })])
          .when(appoint({ memberId: B, seatCategory: 'chamber', role: 'chair' }))
          .thenRefuses('role-taken');
      });

      it('accepts a new chair from the day after the previous chair departed', () => {
        spec(boardDecider)
          .given([established, appointed({ memberId: A, seatCategory: 'ministry', role: 'chair' }), departed(A, '2025-12-31')])
          .when(appoint({ memberId: B, seatCategory: 'chamber', role: 'chair', startDate: '2026-01-01' }))
          .then([appointed({ memberId: B, seatCategory: 'chamber', role: 'chair', startDate: '2026-01-01' })]);
      });

      it('has a chair and a deputy chair side by side, and any number of members', () => {
        spec(boardDecider)
          .given([
            established,
            appointed({ memberId: A, seatCategory: 'ministry', role: 'chair' }),
            appointed({ memberId: B, seatCategory: 'ministry', role: 'member' }),
          ])
          .when(appoint({ memberId: C, seatCategory: 'chamber', role: 'deputy-chair', votingRight: false }))
          .then([appointed({ memberId: C, seatCategory: 'chamber', role: 'deputy-chair', votingRight: false })]);
      });
    });
  });

  describe('AppointDeputy', () => {
    const withMember = [established, appointed({ memberId: A })];

    it("appoints the member's deputy; the name goes into the event as the person", () => {
      spec(boardDecider).given(withMember).when(appointDeputy(D1, A, '2025-10-01')).then([deputyAppointed(D1, A, '2025-10-01')]);
    });

    it('is refused for an unknown member', () => {
      spec(boardDecider).given(withMember).when(appointDeputy(D1, B, '2025-10-01')).thenNotFound('member');
    });

    it('is refused for a member of a board not yet established', () => {
      spec(boardDecider).given([]).when(appointDeputy(D1, A, '2025-10-01')).thenNotFound('member');
    });

    it('is refused when the end lies before the start', () => {
      spec(boardDecider).given(withMember).when(appointDeputy(D1, A, '2025-10-01', '2025-09-30')).thenRefuses('invalid-period');
    });

    it("is refused before the member's term starts", () => {
      spec(boardDecider)
        .given([established, appointed({ memberId: A, startDate: '2025-11-01' })])
        .when(appointDeputy(D1, A, '2025-10-01'))
        .thenRefuses('member-not-in-office');
    });

    it('is refused after the member departed', () => {
      spec(boardDecider).given([...withMember, departed(A, '2025-12-31')]).when(appointDeputy(D1, A, '2026-01-01')).thenRefuses('member-not-in-office');
    });

    it('is refused while the member has a deputy in office', () => {
      spec(boardDecider).given([...withMember, deputyAppointed(D1, A, '2025-10-01')]).when(appointDeputy(D2, A, '2026-01-01')).thenRefuses('deputy-already-appointed');
    });

    it('is refused when the new term would overlap a later deputy', () => {
      spec(boardDecider).given([...withMember, deputyAppointed(D1, A, '2026-01-01')]).when(appointDeputy(D2, A, '2025-10-01')).thenRefuses('deputy-already-appointed');
    });

    it('accepts a new deputy from the day after the previous one left', () => {
      const left: BoardEvent = { type: 'DeputyDeparted', data: { deputyId: D1, memberId: A, endDate: '2025-12-31' }, occurredAt: '2025-12-31' };
      spec(boardDecider)
        .given([...withMember, deputyAppointed(D1, A, '2025-10-01'), left])
        .when(appointDeputy(D2, A, '2026-01-01'))
        .then([deputyAppointed(D2, A, '2026-01-01')]);
    });
  });

  describe('RecordMemberDeparture', () => {
    const withMember = [established, appointed({ memberId: A })];
    const depart = (memberId: string, endDate: string, reason?: string): BoardCommand => ({
      type: 'RecordMemberDeparture',
      data: { memberId, endDate, ...(reason !== undefined && { reason }) },
      metadata,
    });

    it('records a departure without a reason as such', () => {
      const [event] = spec(boardDecider).given(withMember).when(depart(A, '2025-12-31')).events();
      expect(event).toEqual(departed(A, '2025-12-31'));
      expect(event!.data).not.toHaveProperty('reason');
    });

    it('records the departure with its reason', () => {
      spec(boardDecider)
        .given(withMember)
        .when(depart(A, '2025-12-31', 'Wechsel des Amtes'))
        .then([{ type: 'BoardMemberDeparted', data: { memberId: A, endDate: '2025-12-31', reason: 'Wechsel des Amtes' }, occurredAt: '2025-12-31' }]);
    });

    it('ends the terms of the deputies still in office with it', () => {
      const leftEarlier: BoardEvent = { type: 'DeputyDeparted', data: { deputyId: D1, memberId: A, endDate: '2025-10-31' }, occurredAt: '2025-10-31' };
      spec(boardDecider)
        .given([...withMember, deputyAppointed(D1, A, '2025-10-01'), leftEarlier, deputyAppointed(D2, A, '2025-11-01', '2026-06-30')])
        .when(depart(A, '2025-12-31'))
        .then([
          departed(A, '2025-12-31'),
          { type: 'DeputyDeparted', data: { deputyId: D2, memberId: A, endDate: '2025-12-31', reason: MEMBER_DEPARTED_REASON }, occurredAt: '2025-12-31' },
        ]);
    });

    it('leaves alone a deputy whose planned term ends on or before the departure', () => {
      spec(boardDecider)
        .given([...withMember, deputyAppointed(D1, A, '2025-10-01', '2025-12-31')])
        .when(depart(A, '2025-12-31'))
        .then([departed(A, '2025-12-31')]);
    });

    it('cuts a fixed term short', () => {
      spec(boardDecider)
        .given([established, appointed({ memberId: A, endDate: '2026-12-31' })])
        .when(depart(A, '2026-03-31'))
        .then([departed(A, '2026-03-31')]);
    });

    it('is refused for an unknown member', () => {
      spec(boardDecider).given(withMember).when(depart(B, '2025-12-31')).thenNotFound('member');
    });

    it('is refused once the member has departed', () => {
      spec(boardDecider).given([...withMember, departed(A, '2025-12-31')]).when(depart(A, '2025-11-30')).thenRefuses('member-already-departed');
    });

    it("is refused before the member's start", () => {
      spec(boardDecider).given(withMember).when(depart(A, '2025-09-11')).thenRefuses('invalid-period');
    });

    it('is refused when it would extend a fixed term', () => {
      spec(boardDecider)
        .given([established, appointed({ memberId: A, endDate: '2026-12-31' })])
        .when(depart(A, '2027-01-31'))
        .thenRefuses('invalid-period');
    });
  });

  describe('RecordDeputyDeparture', () => {
    const withDeputy = [established, appointed({ memberId: A }), deputyAppointed(D1, A, '2025-10-01')];
    const depart = (memberId: string, deputyId: string, endDate: string, reason?: string): BoardCommand => ({
      type: 'RecordDeputyDeparture',
      data: { memberId, deputyId, endDate, ...(reason !== undefined && { reason }) },
      metadata,
    });

    it("records the deputy's departure", () => {
      spec(boardDecider)
        .given(withDeputy)
        .when(depart(A, D1, '2025-12-31', 'Ruhestand'))
        .then([{ type: 'DeputyDeparted', data: { deputyId: D1, memberId: A, endDate: '2025-12-31', reason: 'Ruhestand' }, occurredAt: '2025-12-31' }]);
    });

    it('is refused for an unknown member', () => {
      spec(boardDecider).given(withDeputy).when(depart(B, D1, '2025-12-31')).thenNotFound('member');
    });

    it('is refused for an unknown deputy of the member', () => {
      spec(boardDecider).given(withDeputy).when(depart(A, D2, '2025-12-31')).thenNotFound('deputy');
    });

    it('is refused once the deputy has departed, also with the member', () => {
      spec(boardDecider)
        .given([...withDeputy, ...boardDecider.decide({ type: 'RecordMemberDeparture', data: { memberId: A, endDate: '2025-12-31' }, metadata }, fold(boardDecider, withDeputy))])
        .when(depart(A, D1, '2025-11-30'))
        .thenRefuses('deputy-already-departed');
    });

    it("is refused before the deputy's start", () => {
      spec(boardDecider).given(withDeputy).when(depart(A, D1, '2025-09-30')).thenRefuses('invalid-period');
    });

    it("is refused after the deputy's planned end", () => {
      spec(boardDecider)
        .given([established, appointed({ memberId: A }), deputyAppointed(D1, A, '2025-10-01', '2025-12-31')])
        .when(depart(A, D1, '2026-01-31'))
        .thenRefuses('invalid-period');
    });
  });

  describe('ChangeRules', () => {
    const R1 = uuid(101);
    const R2 = uuid(102);
    const newRules: RulesOfProcedure = { ...defaultRules, quorumMinimumPresent: 4, admissionBy: 'office' };
    const adopted = (resolutionId: string, over: Partial<ResolutionSummary> = {}): ResolutionSummary => ({
      resolutionId,
      kind: 'rules',
      subject: { rules: newRules },
      outcome: 'adopted',
      decidedOn: '2025-11-10',
      ...over,
    });
    const change = (resolutionId: string, effectiveFrom: string, resolution: ResolutionSummary | undefined): BoardCommand => ({
      type: 'ChangeRules',
      data: { resolutionId, effectiveFrom },
      context: { resolution },
      metadata,
    });
    const changed = (resolutionId: string, version: number, effectiveFrom: string, rules = newRules): BoardEvent => ({
      type: 'RulesOfProcedureChanged',
      data: { version, rules, effectiveFrom, resolutionId },
      occurredAt: effectiveFrom,
    });

    it('applies the rules of an adopted rules resolution as version 2', () => {
      spec(boardDecider).given([established]).when(change(R1, '2025-12-01', adopted(R1))).then([changed(R1, 2, '2025-12-01')]);
    });

    it('may take effect on the day of the decision', () => {
      spec(boardDecider).given([established]).when(change(R1, '2025-11-10', adopted(R1))).then([changed(R1, 2, '2025-11-10')]);
    });

    it('counts the versions on', () => {
      const later = { ...defaultRules, invitationPeriodDays: 10 };
      spec(boardDecider)
        .given([established, changed(R1, 2, '2025-12-01')])
        .when(change(R2, '2026-03-01', adopted(R2, { subject: { rules: later }, decidedOn: '2026-02-01' })))
        .then([changed(R2, 3, '2026-03-01', later)]);
    });

    it('is refused before the board is established', () => {
      spec(boardDecider).given([]).when(change(R1, '2025-12-01', adopted(R1))).thenRefuses('board-not-established');
    });

    it('is refused when the resolution cannot be found', () => {
      spec(boardDecider).given([established]).when(change(R1, '2025-12-01', undefined)).thenNotFound('resolution');
    });

    it('is refused when the context holds another resolution', () => {
      spec(boardDecider).given([established]).when(change(R1, '2025-12-01', adopted(R2))).thenNotFound('resolution');
    });

    it.each<[string, Partial<ResolutionSummary>]>([
      ['of another kind', { kind: 'general', subject: undefined }],
      ['not yet decided', { outcome: null, decidedOn: undefined }],
      ['rejected', { outcome: 'rejected' }],
      ['revoked', { revokedBy: uuid(199) }],
      ['naming no rules', { subject: { partnerId: uuid(300) } }],
    ])('is refused for a resolution %s', (_, over) => {
      spec(boardDecider).given([established]).when(change(R1, '2025-12-01', adopted(R1, over))).thenRefuses('rules-resolution-required');
    });

    it('is refused when the rules would apply before the resolution was adopted', () => {
      spec(boardDecider).given([established]).when(change(R1, '2025-11-09', adopted(R1))).thenRefuses('rules-resolution-required');
    });

    it('is refused when the resolution was applied already', () => {
      spec(boardDecider).given([established, changed(R1, 2, '2025-12-01')]).when(change(R1, '2026-01-01', adopted(R1))).thenRefuses('rules-already-applied');
    });
  });

  describe('state', () => {
    const R1 = uuid(101);
    const R2 = uuid(102);
    const v2 = { ...defaultRules, quorumMinimumPresent: 4 };
    const v3 = { ...defaultRules, quorumMinimumPresent: 5 };
    const board = fold(boardDecider, [
      established,
      { type: 'RulesOfProcedureChanged', data: { version: 2, rules: v2, effectiveFrom: '2025-12-01', resolutionId: R1 }, occurredAt: '2025-12-01' },
      { type: 'RulesOfProcedureChanged', data: { version: 3, rules: v3, effectiveFrom: '2026-07-01', resolutionId: R2 }, occurredAt: '2026-07-01' },
      appointed({ memberId: A }),
      deputyAppointed(D1, A, '2025-10-01'),
      departed(A, '2025-12-31'),
      { type: 'DeputyDeparted', data: { deputyId: D1, memberId: A, endDate: '2025-12-31', reason: MEMBER_DEPARTED_REASON }, occurredAt: '2025-12-31' },
      appointed({ memberId: B, startDate: '2026-01-01' }),
    ]) as EstablishedBoard;

    it.each([
      ['2025-09-12', 1],
      ['2025-11-30', 1],
      ['2025-12-01', 2],
      ['2026-06-30', 2],
      ['2026-07-01', 3],
      ['2030-01-01', 3],
    ])('rulesInForce on %s is version %i', (date, version) => {
      expect(rulesInForce(board, date).version).toBe(version);
    });

    it('rulesInForce gives the rules of that version', () => {
      expect(rulesInForce(board, '2025-10-01').rules).toEqual(defaultRules);
      expect(rulesInForce(board, '2026-01-01')).toEqual({ version: 2, rules: v2, effectiveFrom: '2025-12-01', resolutionId: R1 });
    });

    it('knows who sat on the board on a day, and their deputies', () => {
      expect(membersInOffice(board, '2025-12-31').map((m) => m.memberId)).toEqual([A]);
      expect(membersInOffice(board, '2026-01-01').map((m) => m.memberId)).toEqual([B]);
      expect(deputyInOffice(board, A, D1, '2025-12-31')?.person.name).toBe('Stellvertreter:in');
      expect(deputyInOffice(board, A, D1, '2026-01-01')).toBeUndefined();
      expect(board.members[A]).toMatchObject({ endDate: '2025-12-31', departed: true });
    });
  });

  describe('command schemas', () => {
    it('fill in the default rules for missing rule fields', () => {
      const parsed = establishBoardData.parse({ name: 'Gremium', establishedOn: '2025-09-12', seats, rules: { invitationPeriodDays: 14 } });
      expect(parsed.rules).toEqual({ ...defaultRules, invitationPeriodDays: 14 });
      expect(establishBoardData.parse({ name: 'Gremium', establishedOn: '2025-09-12', seats }).rules).toBeUndefined();
    });

    it('take the name and subject of a member, not a person object', () => {
      const body = { ...memberData({ memberId: A }), subjectId: uuid(900), name: 'Vertreter:in SSG' };
      expect(appointBoardMemberData.safeParse(body).success).toBe(true);
      expect(appointBoardMemberData.safeParse({ ...body, person: { subjectId: uuid(900), name: 'x' } }).success).toBe(false);
    });

    it('take no context from the caller when rules change', () => {
      expect(changeRulesData.safeParse({ resolutionId: uuid(101), effectiveFrom: '2025-12-01' }).success).toBe(true);
      expect(changeRulesData.safeParse({ resolutionId: uuid(101), effectiveFrom: '2025-12-01', context: {} }).success).toBe(false);
    });
  });
});
