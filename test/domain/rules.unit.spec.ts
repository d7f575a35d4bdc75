import fc from 'fast-check';
import type { AgendaItem } from '../../src/domain/meeting/events';
import { itemQuorum } from '../../src/domain/meeting/quorum';
import type { Meeting } from '../../src/domain/meeting/state';
import { invitationTimeliness } from '../../src/domain/rules/invitation';
import { majority } from '../../src/domain/rules/majority';
import { isQuorate } from '../../src/domain/rules/quorum';
import { defaultRules } from '../../src/domain/rules/rules-of-procedure';
import { NotFound } from '../../src/domain/shared/errors';
import { ADVISORY, CHAIR, D3, DEPUTY_CHAIR, M3, M4, M5, establishedBoard, uid } from '../support/board-fixture';

type ScheduledMeeting = Extract<Meeting, { status: 'scheduled' }>;

describe('invitation period', () => {
  it('is timely when sent exactly 7 calendar days before the meeting day', () => {
    expect(invitationTimeliness('2025-09-05', '2025-09-12', false, defaultRules)).toEqual({ timely: true, periodDays: 7 });
  });

  it('is late when sent 6 days before', () => {
    expect(invitationTimeliness('2025-09-06', '2025-09-12', false, defaultRules)).toEqual({ timely: false, periodDays: 7 });
  });

  it('counts calendar days across the change to summer time', () => {
    expect(invitationTimeliness('2025-03-23', '2025-03-30', false, defaultRules).timely).toBe(true);
  });

  it('gives an urgent meeting 3 days', () => {
    expect(invitationTimeliness('2025-09-09', '2025-09-12', true, defaultRules)).toEqual({ timely: true, periodDays: 3 });
    expect(invitationTimeliness('2025-09-10', '2025-09-12', true, defaultRules)).toEqual({ timely: false, periodDays: 3 });
  });

  it('follows the periods the rules set', () => {
    const rules = { ...defaultRules, invitationPeriodDays: 14, urgentInvitationPeriodDays: 0 };
    expect(invitationTimeliness('2025-09-01', '2025-09-12', false, rules)).toEqual({ timely: false, periodDays: 14 });
    expect(invitationTimeliness('2025-09-12', '2025-09-12', true, rules)).toEqual({ timely: true, periodDays: 0 });
  });
});

describe('quorum', () => {
  const facts = { votingMembers: 5, present: 3, recused: 0, dulyInvited: true };

  it('is met when more than half and at least 3 of the voting members are present', () => {
    expect(isQuorate(facts, defaultRules)).toBe(true);
  });

  it('is missed with half or fewer present', () => {
    expect(isQuorate({ ...facts, present: 2 }, defaultRules)).toBe(false);
    expect(isQuorate({ ...facts, votingMembers: 6, present: 3 }, defaultRules)).toBe(false);
  });

  it('is missed below the minimum even with a majority present', () => {
    expect(isQuorate({ votingMembers: 3, present: 2, recused: 0, dulyInvited: true }, defaultRules)).toBe(false);
    expect(isQuorate({ votingMembers: 3, present: 3, recused: 0, dulyInvited: true }, defaultRules)).toBe(true);
  });

  it('is missed when a recusal leaves too few present', () => {
    expect(isQuorate({ ...facts, present: 2, recused: 1 }, defaultRules)).toBe(false);
  });

  it('needs every voting member present when the meeting was not duly invited', () => {
    expect(isQuorate({ ...facts, present: 4, dulyInvited: false }, defaultRules)).toBe(false);
    expect(isQuorate({ ...facts, present: 5, dulyInvited: false }, defaultRules)).toBe(true);
    expect(isQuorate({ ...facts, present: 4, recused: 1, dulyInvited: false }, defaultRules)).toBe(false);
  });

  it('holds whatever the attendance for an item deferred from an inquorate meeting, if duly invited', () => {
    expect(isQuorate({ ...facts, present: 0, deferredFromInquorateMeeting: true }, defaultRules)).toBe(true);
    expect(isQuorate({ ...facts, present: 0, dulyInvited: false, deferredFromInquorateMeeting: true }, defaultRules)).toBe(false);
  });

  it('follows the share and minimum the rules set', () => {
    const rules = { ...defaultRules, quorumShare: 2 / 3, quorumMinimumPresent: 4 };
    expect(isQuorate({ ...facts, votingMembers: 6, present: 4 }, rules)).toBe(false);
    expect(isQuorate({ ...facts, votingMembers: 6, present: 5 }, rules)).toBe(true);
  });

  it('never holds with no voting members', () => {
    expect(isQuorate({ votingMembers: 0, present: 0, recused: 0, dulyInvited: true }, { ...defaultRules, quorumMinimumPresent: 1 })).toBe(false);
  });

  it('is monotone: one more member present never costs the quorum', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 40 }), fc.boolean(), (n, p, invited) => {
        const present = Math.min(p, n - 1);
        const before = isQuorate({ votingMembers: n, present, recused: 0, dulyInvited: invited }, defaultRules);
        const after = isQuorate({ votingMembers: n, present: present + 1, recused: 0, dulyInvited: invited }, defaultRules);
        return !before || after;
      }),
    );
  });
});

describe('majority', () => {
  const chair = { memberId: CHAIR, votingRight: true };

  it('adopts when yes outnumbers no; abstentions do not count', () => {
    expect(majority({ yes: 1, no: 0, abstain: 4 }, undefined, defaultRules)).toEqual({ outcome: 'adopted' });
  });

  it('rejects when no outnumbers yes', () => {
    expect(majority({ yes: 2, no: 3, abstain: 0 }, { ...chair, vote: 'yes' }, defaultRules)).toEqual({ outcome: 'rejected' });
  });

  it('lets the presiding member break a tie with their vote', () => {
    expect(majority({ yes: 2, no: 2, abstain: 1 }, { ...chair, vote: 'yes' }, defaultRules)).toEqual({ outcome: 'adopted', tieBrokenBy: CHAIR });
    expect(majority({ yes: 2, no: 2, abstain: 1 }, { ...chair, vote: 'no' }, defaultRules)).toEqual({ outcome: 'rejected', tieBrokenBy: CHAIR });
  });

  it('rejects a tie when the presiding member abstained, did not vote, has no vote, or nobody presides', () => {
    const tie = { yes: 1, no: 1, abstain: 1 };
    expect(majority(tie, { ...chair, vote: 'abstain' }, defaultRules)).toEqual({ outcome: 'rejected' });
    expect(majority(tie, chair, defaultRules)).toEqual({ outcome: 'rejected' });
    expect(majority(tie, { memberId: CHAIR, votingRight: false, vote: 'yes' }, defaultRules)).toEqual({ outcome: 'rejected' });
    expect(majority(tie, undefined, defaultRules)).toEqual({ outcome: 'rejected' });
  });

  it('rejects every tie when the rules give no casting vote', () => {
    expect(majority({ yes: 2, no: 2, abstain: 0 }, { ...chair, vote: 'yes' }, { ...defaultRules, tieBreak: 'rejected' })).toEqual({
      outcome: 'rejected',
    });
  });
});

describe('quorum of a meeting for an agenda item', () => {
  const board = establishedBoard();
  const item = (id: string, extra: Partial<AgendaItem> = {}): AgendaItem => ({ id, order: 1, title: `Item ${id.slice(-2)}`, public: true, ...extra });
  const meeting = (present: string[], overrides: Partial<ScheduledMeeting> = {}): ScheduledMeeting => ({
    status: 'scheduled',
    meetingId: uid(500),
    title: 'Sitzung',
    date: '2025-09-12',
    place: 'Dresden',
    urgent: false,
    agenda: [item(uid(501))],
    invitation: { sentOn: '2025-09-01', timely: true, periodDays: 7, rulesVersion: 1 },
    attendance: { present, deputies: [], occurredAt: '2025-09-12T10:00:00+02:00' },
    ...overrides,
  });
  const quorum = (m: Meeting, extra: { recused?: string[]; agendaItemId?: string; reconvened?: Meeting } = {}) =>
    itemQuorum({ meeting: m, agendaItemId: extra.agendaItemId ?? uid(501), board, rules: defaultRules, recused: extra.recused ?? [], reconvened: extra.reconvened });

  it('counts voting members present in person or by deputy, not advisory members or recused ones', () => {
    const m = meeting([CHAIR, DEPUTY_CHAIR, ADVISORY], { attendance: { present: [CHAIR, DEPUTY_CHAIR, ADVISORY], deputies: [{ memberId: M3, deputyId: D3 }], occurredAt: '2025-09-12T10:00:00+02:00' } });
    expect(quorum(m)).toEqual({
      quorumMet: true,
      dulyInvited: true,
      byReconvening: false,
      votingMemberIds: [CHAIR, DEPUTY_CHAIR, M3, M4, M5],
      presentMemberIds: [CHAIR, DEPUTY_CHAIR, M3],
      recusedMemberIds: [],
    });
    expect(quorum(m, { recused: [M3] })).toMatchObject({ quorumMet: false, presentMemberIds: [CHAIR, DEPUTY_CHAIR], recusedMemberIds: [M3] });
  });

  it('refuses an item that is not on the agenda', () => {
    expect(() => quorum(meeting([CHAIR]), { agendaItemId: uid(599) })).toThrow(NotFound);
  });

  describe('a reconvening meeting', () => {
    const earlier = meeting([CHAIR, M3], { meetingId: uid(400), date: '2025-08-29', agenda: [item(uid(401)), item(uid(402), { order: 2 })] });
    const later = (extra: Partial<ScheduledMeeting> = {}) =>
      meeting([CHAIR], { reconvenes: uid(400), agenda: [item(uid(501), { deferredFrom: uid(401) }), item(uid(502), { order: 2 })], ...extra });

    it('is quorate for a deferred item whatever the attendance', () => {
      expect(quorum(later(), { reconvened: earlier })).toMatchObject({ quorumMet: true, byReconvening: true, presentMemberIds: [CHAIR] });
    });

    it('is not for an item not deferred', () => {
      expect(quorum(later(), { agendaItemId: uid(502), reconvened: earlier }).quorumMet).toBe(false);
    });

    it('is not when it was not duly invited itself', () => {
      const late = later({ invitation: { sentOn: '2025-09-10', timely: false, periodDays: 7, rulesVersion: 1 } });
      expect(quorum(late, { reconvened: earlier }).quorumMet).toBe(false);
    });

    it('is not when the earlier meeting was quorate', () => {
      const quorate = { ...earlier, attendance: { present: [CHAIR, M3, M4], deputies: [], occurredAt: '2025-08-29T10:00:00+02:00' } };
      expect(quorum(later(), { reconvened: quorate }).quorumMet).toBe(false);
    });

    it('counts an earlier meeting that was not duly invited as inquorate unless everyone came', () => {
      const notInvited: Meeting = { ...earlier, invitation: undefined, attendance: { present: [CHAIR, DEPUTY_CHAIR, M3, M4], deputies: [], occurredAt: '2025-08-29T10:00:00+02:00' } };
      expect(quorum(later(), { reconvened: notInvited }).quorumMet).toBe(true);
    });

    it('is not when the earlier meeting is missing, another one, or was cancelled', () => {
      expect(quorum(later()).quorumMet).toBe(false);
      expect(quorum(later(), { reconvened: { ...earlier, meetingId: uid(444) } }).quorumMet).toBe(false);
      const cancelled: Meeting = { ...earlier, status: 'cancelled', cancellation: { occurredAt: '2025-08-28T10:00:00+02:00' } };
      expect(quorum(later(), { reconvened: cancelled }).quorumMet).toBe(false);
    });
  });
});
