import type { BoardState } from '../../src/domain/board/state';
import { meetingDecider } from '../../src/domain/meeting/decider';
import type { AgendaItem, MeetingEvent } from '../../src/domain/meeting/events';
import type { MeetingState } from '../../src/domain/meeting/state';
import type {
  Decide,
  DecideContext,
  ProposeResolution,
  ProposeResolutionContext,
  ProposeResolutionData,
  RecordVotesContext,
  RecordVotesData,
  RaiseObjection,
  RecordVotes,
  ResolutionCommand,
  RevokeResolution,
} from '../../src/domain/resolution/commands';
import { proposeResolutionData, recordVotesData } from '../../src/domain/resolution/commands';
import { resolutionDecider } from '../../src/domain/resolution/decider';
import type { ResolutionEvent, VoteValue } from '../../src/domain/resolution/events';
import { summarize } from '../../src/domain/resolution/state';
import type { ResolutionSummary } from '../../src/domain/resolution/summary';
import { defaultRules } from '../../src/domain/rules/rules-of-procedure';
import { fold } from '../../src/domain/shared/decider';
import { ADVISORY, CHAIR, D3, D4, DEPUTY_CHAIR, M3, M4, M5, OUTSIDER, VOTING, establishedBoard, uid, withMember } from '../support/board-fixture';
import { spec } from '../support/decider-spec';

const metadata = { now: '2025-09-30T12:00:00+02:00', actor: { id: 'office-1', role: 'office' as const } };
const board = establishedBoard();
const RES = uid(700);
const MEETING = uid(500);
const ITEM = uid(501);
const OTHER_ITEM = uid(502);
const EARLIER = uid(400);
const EARLIER_ITEM = uid(401);
const AT = '2025-09-12T11:00:00+02:00';

// ---- meetings, built from their own events ----

interface MeetingSetup {
  present?: string[];
  deputies?: { memberId: string; deputyId: string }[];
  invitation?: 'timely' | 'late' | 'none';
  meetingId?: string;
  date?: string;
  reconvenes?: string;
  agenda?: AgendaItem[];
  ended?: 'cancelled' | 'closed';
}

function meetingState(setup: MeetingSetup = {}): MeetingState {
  const date = setup.date ?? '2025-09-12';
  const events: MeetingEvent[] = [
    {
      type: 'MeetingScheduled',
      data: {
        meetingId: setup.meetingId ?? MEETING,
        title: 'Sitzung',
        date,
        place: 'Dresden',
        urgent: false,
        ...(setup.reconvenes ? { reconvenes: setup.reconvenes } : {}),
        agenda: setup.agenda ?? [
          { id: ITEM, order: 1, title: 'Neuausrichtung', public: true },
          { id: OTHER_ITEM, order: 2, title: 'Verschiedenes', public: true },
        ],
      },
      occurredAt: date,
    },
  ];
  const invitation = setup.invitation ?? 'timely';
  if (invitation !== 'none') {
    const sentOn = invitation === 'timely' ? '2025-08-01' : `${date.slice(0, 8)}${String(Number(date.slice(8)) - 1).padStart(2, '0')}`;
    events.push({ type: 'InvitationSent', data: { sentOn, timely: invitation === 'timely', periodDays: 7, rulesVersion: 1 }, occurredAt: sentOn });
  }
  const occurredAt = `${date}T10:00:00+02:00`;
  events.push({ type: 'AttendanceRecorded', data: { present: setup.present ?? [...VOTING, ADVISORY], deputies: setup.deputies ?? [], occurredAt }, occurredAt });
  if (setup.ended === 'cancelled') events.push({ type: 'MeetingCancelled', data: { occurredAt }, occurredAt });
  if (setup.ended === 'closed') events.push({ type: 'MeetingClosed', data: { occurredAt }, occurredAt });
  return fold(meetingDecider, events);
}

// ---- resolution events and commands ----

const proposedAtMeeting: ResolutionEvent = {
  type: 'ResolutionProposed',
  data: { resolutionId: RES, title: 'Neuausrichtung', text: 'Die Allianz richtet ihre Arbeit neu aus.', kind: 'general', meetingId: MEETING, agendaItemId: ITEM, proposedOn: '2025-09-01' },
  occurredAt: '2025-09-01',
};
const proposedInWriting: ResolutionEvent = {
  type: 'ResolutionProposed',
  data: { resolutionId: RES, title: 'Umlauf', text: 'Beschluss im Umlaufverfahren.', kind: 'general', writtenProcedure: { deadline: '2025-09-20' }, proposedOn: '2025-09-10' },
  occurredAt: '2025-09-10',
};
const voted = (votes: Record<string, VoteValue>, occurredAt = AT, recusals: string[] = []): ResolutionEvent => ({
  type: 'VotesRecorded',
  data: { votes: Object.entries(votes).map(([memberId, vote]) => ({ memberId, vote })), recusals, occurredAt },
  occurredAt,
});
const tallied = (yes: number, no: number, abstain: number, chairVote?: VoteValue, recusals: string[] = []): ResolutionEvent => ({
  type: 'TallyRecorded',
  data: { tally: { yes, no, abstain }, ...(chairVote ? { chairVote } : {}), recusals, occurredAt: AT },
  occurredAt: AT,
});
const objected = (memberId: string, occurredAt = '2025-09-15T09:00:00+02:00'): ResolutionEvent => ({ type: 'ObjectionRaised', data: { memberId, occurredAt }, occurredAt });

function command<C extends ResolutionCommand>(type: C['type'], data: C['data'], context?: object): C {
  return { type, data, metadata, ...(context ? { context } : {}) } as C;
}
const propose = (data: Partial<ProposeResolutionData>, context: ProposeResolutionContext = { meeting: meetingState() }) =>
  command<ProposeResolution>('ProposeResolution', { resolutionId: RES, title: 'T', text: 'Text', kind: 'general', proposedOn: '2025-09-01', ...data }, context);
const record = (data: Partial<RecordVotesData>, context: Partial<RecordVotesContext> = {}) =>
  command<RecordVotes>('RecordVotes', { occurredAt: AT, ...data }, { board, meeting: meetingState(), ...context });
const votes = (v: Record<string, VoteValue>) => Object.entries(v).map(([memberId, vote]) => ({ memberId, vote }));
const decideOn = (decidedOn: string, context: Partial<DecideContext> = {}) =>
  command<Decide>('Decide', { decidedOn }, { board, meeting: meetingState(), ...context });
const object = (memberId: string, occurredAt = '2025-09-15T09:00:00+02:00', b: BoardState = board) =>
  command<RaiseObjection>('RaiseObjection', { memberId, occurredAt }, { board: b });

const resolution = spec(resolutionDecider);
const decided = (given: ResolutionEvent[], cmd: Decide) => {
  const [event] = resolution.given(given).when(cmd).events();
  if (event?.type !== 'ResolutionDecided') throw new Error(`expected a decision, got ${event?.type}`);
  return event.data;
};

describe('proposing a resolution', () => {
  it('proposes for an agenda item of a meeting', () => {
    const cmd = propose({ meetingId: MEETING, agendaItemId: ITEM });
    resolution.given([]).when(cmd).then([{ type: 'ResolutionProposed', data: cmd.data, occurredAt: '2025-09-01' }]);
  });

  it('proposes in written procedure with a deadline', () => {
    const cmd = propose({ writtenProcedure: { deadline: '2025-09-20' }, proposedOn: '2025-09-10' }, {});
    resolution.given([]).when(cmd).then([{ type: 'ResolutionProposed', data: cmd.data, occurredAt: '2025-09-10' }]);
  });

  it('needs exactly one procedure: a meeting agenda item or writing', () => {
    resolution.given([]).when(propose({})).thenRefuses('procedure-required');
    resolution.given([]).when(propose({ meetingId: MEETING, agendaItemId: ITEM, writtenProcedure: { deadline: '2025-09-20' } })).thenRefuses('procedure-required');
    resolution.given([]).when(propose({ meetingId: MEETING })).thenRefuses('procedure-required');
    resolution.given([]).when(propose({ agendaItemId: ITEM })).thenRefuses('procedure-required');
  });

  it('needs the subject the kind requires', () => {
    const written = { writtenProcedure: { deadline: '2025-09-20' } };
    resolution.given([]).when(propose({ ...written, kind: 'general', subject: { partnerId: uid(800) } }, {})).thenRefuses('subject-mismatch');
    resolution.given([]).when(propose({ ...written, kind: 'partner-admission' }, {})).thenRefuses('subject-mismatch');
    resolution.given([]).when(propose({ ...written, kind: 'group-mandate', subject: { partnerId: uid(800) } }, {})).thenRefuses('subject-mismatch');
    resolution.given([]).when(propose({ ...written, kind: 'revocation', subject: { resolutionId: RES } }, {})).thenRefuses('subject-mismatch');
    expect(resolution.given([]).when(propose({ ...written, kind: 'partner-admission', subject: { partnerId: uid(800) } }, {})).events()).toHaveLength(1);
  });

  it('needs the meeting and its agenda item, and a meeting not cancelled', () => {
    resolution.given([]).when(propose({ meetingId: MEETING, agendaItemId: ITEM }, {})).thenNotFound('meeting');
    resolution.given([]).when(propose({ meetingId: uid(555), agendaItemId: ITEM })).thenNotFound('meeting');
    resolution.given([]).when(propose({ meetingId: MEETING, agendaItemId: uid(599) })).thenNotFound('agenda item');
    resolution.given([]).when(propose({ meetingId: MEETING, agendaItemId: ITEM }, { meeting: meetingState({ ended: 'cancelled' }) })).thenRefuses('meeting-cancelled');
  });

  it('needs a deadline not before the proposal', () => {
    resolution.given([]).when(propose({ writtenProcedure: { deadline: '2025-08-31' } }, {})).thenRefuses('deadline-before-proposal');
  });

  it('is proposed once', () => {
    resolution.given([proposedAtMeeting]).when(propose({ meetingId: MEETING, agendaItemId: ITEM })).thenRefuses('resolution-already-proposed');
  });
});

describe('recording votes at a meeting', () => {
  it('records named votes with recusals', () => {
    resolution
      .given([proposedAtMeeting])
      .when(record({ votes: votes({ [CHAIR]: 'yes', [M3]: 'no' }), recusals: [M5] }))
      .then([voted({ [CHAIR]: 'yes', [M3]: 'no' }, AT, [M5])]);
  });

  it('records a tally with the presiding member’s vote', () => {
    resolution.given([proposedAtMeeting]).when(record({ tally: { yes: 3, no: 1, abstain: 1, chairVote: 'yes' } })).then([tallied(3, 1, 1, 'yes')]);
  });

  it('records recusals alone', () => {
    resolution.given([proposedAtMeeting]).when(record({ recusals: [M4] })).then([voted({}, AT, [M4])]);
  });

  it('takes the vote of a deputy standing in under the member’s id', () => {
    const meeting = meetingState({ present: [CHAIR, DEPUTY_CHAIR, M4], deputies: [{ memberId: M3, deputyId: D3 }] });
    expect(resolution.given([proposedAtMeeting]).when(record({ votes: votes({ [M3]: 'yes' }) }, { meeting })).events()).toHaveLength(1);
  });

  it('refuses a vote of anyone but a voting member in office on the meeting day', () => {
    resolution.given([proposedAtMeeting]).when(record({ votes: votes({ [ADVISORY]: 'yes' }) })).thenRefuses('not-a-voting-member');
    resolution.given([proposedAtMeeting]).when(record({ votes: votes({ [OUTSIDER]: 'yes' }) })).thenRefuses('not-a-voting-member');
    resolution.given([proposedAtMeeting]).when(record({ recusals: [OUTSIDER] })).thenRefuses('not-a-voting-member');
    const departed = withMember(board, M5, { endDate: '2025-09-11' });
    resolution.given([proposedAtMeeting]).when(record({ votes: votes({ [M5]: 'yes' }) }, { board: departed })).thenRefuses('not-a-voting-member');
  });

  it('refuses a vote of a member absent and not represented', () => {
    const meeting = meetingState({ present: [CHAIR, DEPUTY_CHAIR, M4] });
    resolution.given([proposedAtMeeting]).when(record({ votes: votes({ [M5]: 'yes' }) }, { meeting })).thenRefuses('member-not-present');
  });

  it('refuses a vote of a recused member', () => {
    resolution.given([proposedAtMeeting, voted({}, AT, [M4])]).when(record({ votes: votes({ [M4]: 'yes' }) })).thenRefuses('member-recused');
    resolution.given([proposedAtMeeting]).when(record({ votes: votes({ [M4]: 'yes' }), recusals: [M4] })).thenRefuses('member-recused');
  });

  it('refuses two votes of one member in one record', () => {
    resolution.given([proposedAtMeeting]).when(record({ votes: [{ memberId: M3, vote: 'yes' }, { memberId: M3, vote: 'no' }] })).thenRefuses('duplicate-vote');
  });

  it('refuses to mix named votes and a tally', () => {
    resolution.given([proposedAtMeeting]).when(record({ votes: votes({ [M3]: 'yes' }), tally: { yes: 1, no: 0, abstain: 0 } })).thenRefuses('votes-and-tally-mixed');
    resolution.given([proposedAtMeeting, voted({ [M3]: 'yes' })]).when(record({ tally: { yes: 1, no: 0, abstain: 0 } })).thenRefuses('votes-and-tally-mixed');
    resolution.given([proposedAtMeeting, tallied(3, 0, 0)]).when(record({ votes: votes({ [M3]: 'yes' }) })).thenRefuses('votes-and-tally-mixed');
  });

  it('lets a tally replace an earlier tally, and add recusals to it', () => {
    resolution.given([proposedAtMeeting, tallied(3, 0, 0)]).when(record({ tally: { yes: 2, no: 2, abstain: 0 } })).then([tallied(2, 2, 0)]);
    resolution.given([proposedAtMeeting, tallied(3, 0, 0)]).when(record({ recusals: [M5] })).then([voted({}, AT, [M5])]);
  });

  it('refuses a tally larger than the voting members present and not recused', () => {
    const meeting = meetingState({ present: [CHAIR, DEPUTY_CHAIR, M4, ADVISORY], deputies: [{ memberId: M3, deputyId: D3 }] });
    expect(resolution.given([proposedAtMeeting]).when(record({ tally: { yes: 2, no: 1, abstain: 1 } }, { meeting })).events()).toHaveLength(1);
    resolution.given([proposedAtMeeting]).when(record({ tally: { yes: 3, no: 1, abstain: 1 } }, { meeting })).thenRefuses('tally-exceeds-present');
    resolution.given([proposedAtMeeting]).when(record({ tally: { yes: 2, no: 1, abstain: 1 }, recusals: [M4] }, { meeting })).thenRefuses('tally-exceeds-present');
    resolution.given([proposedAtMeeting, tallied(2, 1, 1)]).when(record({ recusals: [M4] }, { meeting })).thenRefuses('tally-exceeds-present');
  });

  it('refuses a presiding member’s vote the tally does not contain', () => {
    resolution.given([proposedAtMeeting]).when(record({ tally: { yes: 0, no: 2, abstain: 1, chairVote: 'yes' } })).thenRefuses('chair-vote-not-in-tally');
  });

  it('refuses an empty record', () => {
    resolution.given([proposedAtMeeting]).when(record({ votes: [] })).thenRefuses('nothing-to-record');
  });

  it('refuses votes for a cancelled or unknown meeting, without a board, and after the decision', () => {
    resolution.given([proposedAtMeeting]).when(record({ votes: votes({ [M3]: 'yes' }) }, { meeting: meetingState({ ended: 'cancelled' }) })).thenRefuses('meeting-cancelled');
    resolution.given([proposedAtMeeting]).when(record({ votes: votes({ [M3]: 'yes' }) }, { meeting: undefined })).thenNotFound('meeting');
    resolution.given([proposedAtMeeting]).when(record({ votes: votes({ [M3]: 'yes' }) }, { board: { status: 'none' } })).thenNotFound('board');
    resolution.given([]).when(record({ votes: votes({ [M3]: 'yes' }) })).thenNotFound('resolution');
    const decision = resolution.given([proposedAtMeeting, voted({ [M3]: 'yes' })]).when(decideOn('2025-09-12')).events();
    resolution.given([proposedAtMeeting, voted({ [M3]: 'yes' }), ...decision]).when(record({ votes: votes({ [M4]: 'yes' }) })).thenRefuses('already-decided');
  });
});

describe('deciding at a meeting', () => {
  it('adopts by majority and records the full basis', () => {
    const meeting = meetingState({ present: [CHAIR, DEPUTY_CHAIR, M4, ADVISORY], deputies: [{ memberId: M3, deputyId: D3 }] });
    resolution
      .given([proposedAtMeeting, voted({ [CHAIR]: 'yes', [DEPUTY_CHAIR]: 'yes', [M3]: 'no', [M4]: 'abstain' })])
      .when(decideOn('2025-09-12', { meeting }))
      .then([
        {
          type: 'ResolutionDecided',
          data: {
            outcome: 'adopted',
            decidedOn: '2025-09-12',
            basis: {
              procedure: 'meeting',
              votingMembers: 5,
              present: 4,
              recused: 0,
              quorumMet: true,
              tally: { yes: 2, no: 1, abstain: 1 },
              presidingMemberId: CHAIR,
              rulesVersion: 1,
              rules: defaultRules,
              votingMemberIds: VOTING,
              presentMemberIds: [CHAIR, DEPUTY_CHAIR, M3, M4],
              recusedMemberIds: [],
            },
          },
          occurredAt: '2025-09-12',
        },
      ]);
  });

  it('rejects when no outnumbers yes', () => {
    expect(decided([proposedAtMeeting, voted({ [CHAIR]: 'yes', [M3]: 'no', [M4]: 'no' })], decideOn('2025-09-12')).outcome).toBe('rejected');
  });

  it('counts a member’s later vote instead of the earlier one', () => {
    const data = decided([proposedAtMeeting, voted({ [CHAIR]: 'yes', [M3]: 'yes' }), voted({ [M3]: 'no', [M4]: 'no' })], decideOn('2025-09-12'));
    expect(data.basis.tally).toEqual({ yes: 1, no: 2, abstain: 0 });
    expect(data.outcome).toBe('rejected');
  });

  it('withdraws the vote of a member who is recused afterwards', () => {
    const data = decided([proposedAtMeeting, voted({ [CHAIR]: 'yes', [M3]: 'no', [M4]: 'no' }), voted({}, AT, [M4])], decideOn('2025-09-12'));
    expect(data.basis).toMatchObject({ tally: { yes: 1, no: 1, abstain: 0 }, recused: 1, recusedMemberIds: [M4], present: 4 });
  });

  it('takes no decision without quorum: nothing is emitted', () => {
    const meeting = meetingState({ present: [CHAIR, M3, ADVISORY] });
    resolution.given([proposedAtMeeting, voted({ [CHAIR]: 'yes', [M3]: 'yes' })]).when(decideOn('2025-09-12', { meeting })).thenRefuses('quorum');
  });

  it('loses the quorum to a recusal', () => {
    const meeting = meetingState({ present: [CHAIR, M3, M4] });
    expect(decided([proposedAtMeeting, voted({ [CHAIR]: 'yes', [M3]: 'yes' })], decideOn('2025-09-12', { meeting })).outcome).toBe('adopted');
    resolution.given([proposedAtMeeting, voted({ [CHAIR]: 'yes', [M3]: 'yes' }, AT, [M4])]).when(decideOn('2025-09-12', { meeting })).thenRefuses('quorum');
  });

  it('counts a deputy standing in towards the quorum', () => {
    const twoPresent = meetingState({ present: [CHAIR, M4] });
    resolution.given([proposedAtMeeting, voted({ [CHAIR]: 'yes' })]).when(decideOn('2025-09-12', { meeting: twoPresent })).thenRefuses('quorum');
    const withDeputy = meetingState({ present: [CHAIR, M4], deputies: [{ memberId: M3, deputyId: D3 }] });
    expect(decided([proposedAtMeeting, voted({ [CHAIR]: 'yes', [M3]: 'yes' })], decideOn('2025-09-12', { meeting: withDeputy })).basis).toMatchObject({
      present: 3,
      presentMemberIds: [CHAIR, M3, M4],
      quorumMet: true,
    });
  });

  it('after a late invitation, is quorate only with every voting member present', () => {
    const late = (present: string[]) => meetingState({ invitation: 'late', present });
    resolution.given([proposedAtMeeting, voted({ [CHAIR]: 'yes' })]).when(decideOn('2025-09-12', { meeting: late([CHAIR, DEPUTY_CHAIR, M3, M4]) })).thenRefuses('quorum');
    expect(decided([proposedAtMeeting, voted({ [CHAIR]: 'yes' })], decideOn('2025-09-12', { meeting: late(VOTING) })).outcome).toBe('adopted');
    resolution.given([proposedAtMeeting, voted({ [CHAIR]: 'yes' }, AT, [M5])]).when(decideOn('2025-09-12', { meeting: late(VOTING) })).thenRefuses('quorum');
    resolution.given([proposedAtMeeting, voted({ [CHAIR]: 'yes' })]).when(decideOn('2025-09-12', { meeting: meetingState({ invitation: 'none', present: [CHAIR, DEPUTY_CHAIR, M3, M4] }) })).thenRefuses('quorum');
  });

  describe('at a meeting reconvening one that was not quorate', () => {
    const earlier = meetingState({ meetingId: EARLIER, date: '2025-08-29', present: [CHAIR, M3], agenda: [{ id: EARLIER_ITEM, order: 1, title: 'Neuausrichtung', public: true }] });
    const reconvening = (invitation: 'timely' | 'late' = 'timely') =>
      meetingState({
        reconvenes: EARLIER,
        invitation,
        present: [CHAIR],
        agenda: [
          { id: ITEM, order: 1, title: 'Neuausrichtung', public: true, deferredFrom: EARLIER_ITEM },
          { id: OTHER_ITEM, order: 2, title: 'Verschiedenes', public: true },
        ],
      });

    it('decides a deferred item whatever the attendance', () => {
      const data = decided([proposedAtMeeting, voted({ [CHAIR]: 'yes' })], decideOn('2025-09-12', { meeting: reconvening(), reconvened: earlier }));
      expect(data).toMatchObject({ outcome: 'adopted', basis: { quorumMet: true, present: 1, votingMembers: 5, tally: { yes: 1, no: 0, abstain: 0 } } });
    });

    it('does not decide an item not deferred', () => {
      const other = { ...proposedAtMeeting, data: { ...proposedAtMeeting.data, agendaItemId: OTHER_ITEM } } as ResolutionEvent;
      resolution.given([other]).when(decideOn('2025-09-12', { meeting: reconvening(), reconvened: earlier })).thenRefuses('quorum');
    });

    it('does not decide when itself not duly invited, or without the earlier meeting', () => {
      resolution.given([proposedAtMeeting]).when(decideOn('2025-09-12', { meeting: reconvening('late'), reconvened: earlier })).thenRefuses('quorum');
      resolution.given([proposedAtMeeting]).when(decideOn('2025-09-12', { meeting: reconvening() })).thenRefuses('quorum');
    });

    it('does not decide when the earlier meeting was quorate for the item', () => {
      const quorate = meetingState({ meetingId: EARLIER, date: '2025-08-29', present: [CHAIR, M3, M4], agenda: [{ id: EARLIER_ITEM, order: 1, title: 'Neuausrichtung', public: true }] });
      resolution.given([proposedAtMeeting]).when(decideOn('2025-09-12', { meeting: reconvening(), reconvened: quorate })).thenRefuses('quorum');
    });
  });

  describe('a tie', () => {
    const tie = voted({ [CHAIR]: 'yes', [DEPUTY_CHAIR]: 'no', [M3]: 'no', [M4]: 'yes', [M5]: 'abstain' });

    it('is decided by the chair’s vote', () => {
      expect(decided([proposedAtMeeting, tie], decideOn('2025-09-12'))).toMatchObject({ outcome: 'adopted', basis: { tieBrokenBy: CHAIR, presidingMemberId: CHAIR } });
      const chairNo = voted({ [CHAIR]: 'no', [DEPUTY_CHAIR]: 'yes', [M3]: 'no', [M4]: 'yes' });
      expect(decided([proposedAtMeeting, chairNo], decideOn('2025-09-12'))).toMatchObject({ outcome: 'rejected', basis: { tieBrokenBy: CHAIR } });
    });

    it('is decided by the deputy chair when the chair is absent', () => {
      const meeting = meetingState({ present: [DEPUTY_CHAIR, M3, M4, M5] });
      const data = decided([proposedAtMeeting, voted({ [DEPUTY_CHAIR]: 'no', [M3]: 'yes' })], decideOn('2025-09-12', { meeting }));
      expect(data).toMatchObject({ outcome: 'rejected', basis: { tieBrokenBy: DEPUTY_CHAIR, presidingMemberId: DEPUTY_CHAIR } });
    });

    it('is decided by the deputy chair when the chair is represented by a deputy only', () => {
      const board2 = withMember(board, CHAIR, { deputies: [{ deputyId: uid(11), memberId: CHAIR, person: { subjectId: uid(3011), name: 'D' }, startDate: '2025-01-01' }] });
      const meeting = meetingState({ present: [DEPUTY_CHAIR, M3, M4], deputies: [{ memberId: CHAIR, deputyId: uid(11) }] });
      const data = decided([proposedAtMeeting, voted({ [CHAIR]: 'yes', [DEPUTY_CHAIR]: 'yes', [M3]: 'no', [M4]: 'no' })], decideOn('2025-09-12', { meeting, board: board2 }));
      expect(data).toMatchObject({ outcome: 'adopted', basis: { tieBrokenBy: DEPUTY_CHAIR, presidingMemberId: DEPUTY_CHAIR } });
    });

    it('fails when neither chair nor deputy chair is present', () => {
      const meeting = meetingState({ present: [M3, M4, M5] });
      const data = decided([proposedAtMeeting, voted({ [M3]: 'yes', [M4]: 'no' })], decideOn('2025-09-12', { meeting }));
      expect(data.outcome).toBe('rejected');
      expect(data.basis.tieBrokenBy).toBeUndefined();
      expect(data.basis.presidingMemberId).toBeUndefined();
    });

    it('fails when the presiding member abstained or did not vote', () => {
      const abstained = voted({ [CHAIR]: 'abstain', [M3]: 'yes', [M4]: 'no' });
      expect(decided([proposedAtMeeting, abstained], decideOn('2025-09-12'))).toMatchObject({ outcome: 'rejected', basis: { presidingMemberId: CHAIR } });
      expect(decided([proposedAtMeeting, voted({ [M3]: 'yes', [M4]: 'no' })], decideOn('2025-09-12')).basis.tieBrokenBy).toBeUndefined();
    });

    it('fails when the presiding member is advisory', () => {
      const advisoryChair = withMember(board, CHAIR, { votingRight: false });
      const meeting = meetingState({ present: [CHAIR, DEPUTY_CHAIR, M3, M4, M5] });
      const data = decided([proposedAtMeeting, voted({ [DEPUTY_CHAIR]: 'yes', [M3]: 'no' })], decideOn('2025-09-12', { meeting, board: advisoryChair }));
      expect(data).toMatchObject({ outcome: 'rejected', basis: { presidingMemberId: CHAIR, votingMembers: 4 } });
      expect(data.basis.tieBrokenBy).toBeUndefined();
    });

    it('fails when the chair is recused, and the deputy chair presides', () => {
      const data = decided([proposedAtMeeting, voted({ [DEPUTY_CHAIR]: 'abstain', [M3]: 'yes', [M4]: 'no' }, AT, [CHAIR])], decideOn('2025-09-12'));
      expect(data).toMatchObject({ outcome: 'rejected', basis: { presidingMemberId: DEPUTY_CHAIR, recusedMemberIds: [CHAIR] } });
    });

    it('fails when the rules give no casting vote', () => {
      const strict = establishedBoard({ rules: { tieBreak: 'rejected' } });
      const data = decided([proposedAtMeeting, tie], decideOn('2025-09-12', { board: strict }));
      expect(data.outcome).toBe('rejected');
      expect(data.basis.tieBrokenBy).toBeUndefined();
    });

    it('with a tally, is decided by its chairVote', () => {
      expect(decided([proposedAtMeeting, tallied(2, 2, 1, 'yes')], decideOn('2025-09-12'))).toMatchObject({
        outcome: 'adopted',
        basis: { tally: { yes: 2, no: 2, abstain: 1 }, tieBrokenBy: CHAIR },
      });
      expect(decided([proposedAtMeeting, tallied(2, 2, 1, 'no')], decideOn('2025-09-12')).outcome).toBe('rejected');
      expect(decided([proposedAtMeeting, tallied(2, 2, 1)], decideOn('2025-09-12')).basis.tieBrokenBy).toBeUndefined();
    });
  });

  it('refuses a tally that outgrew the attendance since', () => {
    const meeting = meetingState({ present: [CHAIR, DEPUTY_CHAIR, M3] });
    resolution.given([proposedAtMeeting, tallied(3, 1, 0)]).when(decideOn('2025-09-12', { meeting })).thenRefuses('tally-exceeds-present');
  });

  it('applies the rules in force on the decision day', () => {
    const board2 = establishedBoard({ laterRules: [{ version: 2, rules: { tieBreak: 'rejected' }, effectiveFrom: '2025-09-13', resolutionId: uid(900) }] });
    const tie = voted({ [CHAIR]: 'yes', [M3]: 'no' });
    expect(decided([proposedAtMeeting, tie], decideOn('2025-09-12', { board: board2 })).basis).toMatchObject({ rulesVersion: 1, tieBrokenBy: CHAIR });
    const later = decided([proposedAtMeeting, tie], decideOn('2025-09-13', { board: board2 }));
    expect(later).toMatchObject({ outcome: 'rejected', basis: { rulesVersion: 2, rules: { ...defaultRules, tieBreak: 'rejected' } } });
  });

  it('is refused twice, before the meeting or the proposal, for a cancelled meeting, and without the board', () => {
    const decision = resolution.given([proposedAtMeeting]).when(decideOn('2025-09-12')).events();
    resolution.given([proposedAtMeeting, ...decision]).when(decideOn('2025-09-12')).thenRefuses('already-decided');
    resolution.given([proposedAtMeeting]).when(decideOn('2025-09-11')).thenRefuses('decision-before-meeting');
    resolution.given([proposedAtMeeting]).when(decideOn('2025-08-31')).thenRefuses('decision-before-proposal');
    resolution.given([proposedAtMeeting]).when(decideOn('2025-09-12', { meeting: meetingState({ ended: 'cancelled' }) })).thenRefuses('meeting-cancelled');
    resolution.given([proposedAtMeeting]).when(decideOn('2025-09-12', { board: { status: 'none' } })).thenNotFound('board');
    resolution.given([proposedAtMeeting]).when(decideOn('2025-09-12', { meeting: undefined })).thenNotFound('meeting');
    resolution.given([]).when(decideOn('2025-09-12')).thenNotFound('resolution');
  });

  it('may be taken after the meeting was closed', () => {
    expect(decided([proposedAtMeeting, voted({ [CHAIR]: 'yes' })], decideOn('2025-09-15', { meeting: meetingState({ ended: 'closed' }) })).outcome).toBe('adopted');
  });
});

describe('written procedure', () => {
  const inWriting = (v: Record<string, VoteValue>, occurredAt = '2025-09-14T09:00:00+02:00', recusals: string[] = []) => voted(v, occurredAt, recusals);
  const allYes = inWriting({ [CHAIR]: 'yes', [DEPUTY_CHAIR]: 'yes', [M3]: 'yes', [M4]: 'no', [M5]: 'abstain' });
  const writtenVote = (v: Record<string, VoteValue>, occurredAt = '2025-09-14T09:00:00+02:00') => record({ votes: votes(v), occurredAt }, { meeting: undefined });

  it('records answers of voting members in office on the day of the answer', () => {
    resolution.given([proposedInWriting]).when(writtenVote({ [M3]: 'yes' })).then([inWriting({ [M3]: 'yes' })]);
    const joinedLater = withMember(board, M5, { startDate: '2025-09-15' });
    resolution.given([proposedInWriting]).when(record({ votes: votes({ [M5]: 'yes' }), occurredAt: '2025-09-14T09:00:00+02:00' }, { meeting: undefined, board: joinedLater })).thenRefuses('not-a-voting-member');
    resolution.given([proposedInWriting]).when(writtenVote({ [ADVISORY]: 'yes' })).thenRefuses('not-a-voting-member');
  });

  it('refuses an answer after the deadline', () => {
    expect(resolution.given([proposedInWriting]).when(writtenVote({ [M3]: 'yes' }, '2025-09-20T23:59:00+02:00')).events()).toHaveLength(1);
    resolution.given([proposedInWriting]).when(writtenVote({ [M3]: 'yes' }, '2025-09-21T00:00:00+02:00')).thenRefuses('deadline-passed');
    resolution.given([proposedInWriting]).when(record({ recusals: [M3], occurredAt: '2025-09-22T09:00:00+02:00' }, { meeting: undefined })).thenRefuses('deadline-passed');
  });

  it('refuses a tally: every answer in writing is named', () => {
    resolution.given([proposedInWriting]).when(record({ tally: { yes: 3, no: 0, abstain: 0 } }, { meeting: undefined })).thenRefuses('tally-in-written-procedure');
  });

  it('passes when every voting member answered by the deadline and the majority holds; the chair presides', () => {
    const data = decided([proposedInWriting, allYes], decideOn('2025-09-15', { meeting: undefined }));
    expect(data).toEqual({
      outcome: 'adopted',
      decidedOn: '2025-09-15',
      basis: {
        procedure: 'written',
        votingMembers: 5,
        present: 5,
        recused: 0,
        quorumMet: true,
        tally: { yes: 3, no: 1, abstain: 1 },
        presidingMemberId: CHAIR,
        rulesVersion: 1,
        rules: defaultRules,
        votingMemberIds: VOTING,
        presentMemberIds: VOTING,
        recusedMemberIds: [],
      },
    });
  });

  it('does not need the answer of a recused member', () => {
    const answers = inWriting({ [CHAIR]: 'yes', [DEPUTY_CHAIR]: 'yes', [M3]: 'no', [M4]: 'yes' }, undefined, [M5]);
    expect(decided([proposedInWriting, answers], decideOn('2025-09-15', { meeting: undefined })).basis).toMatchObject({ present: 4, recused: 1, recusedMemberIds: [M5], quorumMet: true });
  });

  it('breaks a tie by the chair’s vote', () => {
    const tie = inWriting({ [CHAIR]: 'no', [DEPUTY_CHAIR]: 'yes', [M3]: 'yes', [M4]: 'no', [M5]: 'abstain' });
    expect(decided([proposedInWriting, tie], decideOn('2025-09-15', { meeting: undefined }))).toMatchObject({ outcome: 'rejected', basis: { tieBrokenBy: CHAIR } });
  });

  it('takes no decision in writing after an objection', () => {
    resolution.given([proposedInWriting, allYes, objected(ADVISORY)]).when(decideOn('2025-09-15', { meeting: undefined })).thenRefuses('written-procedure-objected');
    resolution.given([proposedInWriting, allYes, objected(M3)]).when(decideOn('2025-09-25', { meeting: undefined })).thenRefuses('written-procedure-objected');
  });

  it('stays open while an answer is missing and the deadline has not passed', () => {
    const missing = inWriting({ [CHAIR]: 'yes', [DEPUTY_CHAIR]: 'yes', [M3]: 'yes', [M4]: 'yes' });
    resolution.given([proposedInWriting, missing]).when(decideOn('2025-09-20', { meeting: undefined })).thenRefuses('written-procedure-open');
  });

  it('fails when an answer is still missing after the deadline', () => {
    const missing = inWriting({ [CHAIR]: 'yes', [DEPUTY_CHAIR]: 'yes', [M3]: 'yes', [M4]: 'yes' });
    const data = decided([proposedInWriting, missing], decideOn('2025-09-21', { meeting: undefined }));
    expect(data).toMatchObject({ outcome: 'rejected', basis: { quorumMet: false, present: 4, votingMembers: 5, tally: { yes: 4, no: 0, abstain: 0 } } });
  });

  it('counts membership on the deadline when deciding after it', () => {
    const departed = withMember(board, M5, { endDate: '2025-09-22' });
    const missing = inWriting({ [CHAIR]: 'yes', [DEPUTY_CHAIR]: 'yes', [M3]: 'yes', [M4]: 'yes' });
    expect(decided([proposedInWriting, missing], decideOn('2025-09-25', { meeting: undefined, board: departed })).outcome).toBe('rejected');
  });

  describe('objections', () => {
    it('may be raised by any member in office until the deadline', () => {
      resolution.given([proposedInWriting]).when(object(ADVISORY)).then([objected(ADVISORY)]);
      expect(resolution.given([proposedInWriting]).when(object(M3, '2025-09-20T22:00:00+02:00')).events()).toHaveLength(1);
    });

    it('are refused after the deadline', () => {
      resolution.given([proposedInWriting]).when(object(M3, '2025-09-21T08:00:00+02:00')).thenRefuses('deadline-passed');
    });

    it('are refused from anyone not a member in office', () => {
      resolution.given([proposedInWriting]).when(object(OUTSIDER)).thenNotFound('member');
      resolution.given([proposedInWriting]).when(object(D4)).thenNotFound('member');
      resolution.given([proposedInWriting]).when(object(M3, undefined, withMember(board, M3, { endDate: '2025-09-14' }))).thenNotFound('member');
    });

    it('are raised once per member, only in written procedure, only before the decision', () => {
      resolution.given([proposedInWriting, objected(M3)]).when(object(M3)).thenRefuses('objection-already-raised');
      resolution.given([proposedAtMeeting]).when(object(M3)).thenRefuses('not-written-procedure');
      const decision = resolution.given([proposedInWriting, allYes]).when(decideOn('2025-09-15', { meeting: undefined })).events();
      resolution.given([proposedInWriting, allYes, ...decision]).when(object(M3)).thenRefuses('already-decided');
    });
  });
});

describe('corrections and revocations', () => {
  const adopted: ResolutionEvent[] = [proposedAtMeeting, voted({ [CHAIR]: 'yes' })];
  const decisionOf = (given: ResolutionEvent[]) => resolution.given(given).when(decideOn('2025-09-12')).events();
  const adoptedAndDecided = [...adopted, ...decisionOf(adopted)];
  const rejectedAndDecided = [proposedAtMeeting, voted({ [CHAIR]: 'no' }), ...decisionOf([proposedAtMeeting, voted({ [CHAIR]: 'no' })])];
  const REVOKER = uid(701);
  const revoker = (overrides: Partial<ResolutionSummary> = {}): ResolutionSummary => ({
    resolutionId: REVOKER,
    kind: 'revocation',
    subject: { resolutionId: RES },
    outcome: 'adopted',
    decidedOn: '2025-10-01',
    ...overrides,
  });
  const revoke = (revoking: ResolutionSummary | undefined, occurredAt = '2025-10-01T12:00:00+02:00') =>
    command<RevokeResolution>('RevokeResolution', { resolutionId: REVOKER, occurredAt }, { revoking });
  const revokedEvent: ResolutionEvent = {
    type: 'ResolutionRevoked',
    data: { revokedBy: REVOKER, occurredAt: '2025-10-01T12:00:00+02:00' },
    occurredAt: '2025-10-01T12:00:00+02:00',
  };

  it('records a correction; the original stays', () => {
    const data = { correctionId: uid(750), text: 'Berichtigter Text.', reason: 'Schreibfehler', occurredAt: '2025-09-20T10:00:00+02:00' };
    resolution.given(adoptedAndDecided).when(command('CorrectResolution', data)).then([{ type: 'ResolutionCorrected', data, occurredAt: data.occurredAt }]);
    const corrected = [...adoptedAndDecided, { type: 'ResolutionCorrected' as const, data, occurredAt: data.occurredAt }];
    const state = fold(resolutionDecider, corrected);
    expect(state.status === 'decided' && [state.text, state.corrections.map((c) => c.text)]).toEqual(['Die Allianz richtet ihre Arbeit neu aus.', ['Berichtigter Text.']]);
    resolution.given(corrected).when(command('CorrectResolution', data)).thenRefuses('correction-already-recorded');
    resolution.given([]).when(command('CorrectResolution', data)).thenNotFound('resolution');
  });

  it('revokes an adopted resolution by an adopted revocation naming it', () => {
    resolution.given(adoptedAndDecided).when(revoke(revoker())).then([revokedEvent]);
    expect(summarize(fold(resolutionDecider, [...adoptedAndDecided, revokedEvent]))).toMatchObject({ outcome: 'adopted', revokedBy: REVOKER });
  });

  it('refuses to revoke a resolution not adopted, or revoked already', () => {
    resolution.given([proposedAtMeeting]).when(revoke(revoker())).thenRefuses('not-adopted');
    resolution.given(rejectedAndDecided).when(revoke(revoker())).thenRefuses('not-adopted');
    resolution.given([...adoptedAndDecided, revokedEvent]).when(revoke(revoker())).thenRefuses('already-revoked');
    resolution.given([]).when(revoke(revoker())).thenNotFound('resolution');
  });

  it('needs an adopted revocation resolution, naming this one, adopted by the day', () => {
    resolution.given(adoptedAndDecided).when(revoke(undefined)).thenNotFound('resolution');
    resolution.given(adoptedAndDecided).when(revoke(revoker({ kind: 'general', subject: undefined }))).thenRefuses('revocation-resolution-required');
    resolution.given(adoptedAndDecided).when(revoke(revoker({ outcome: 'rejected' }))).thenRefuses('revocation-resolution-required');
    resolution.given(adoptedAndDecided).when(revoke(revoker({ outcome: null, decidedOn: undefined }))).thenRefuses('revocation-resolution-required');
    resolution.given(adoptedAndDecided).when(revoke(revoker({ subject: { resolutionId: uid(799) } }))).thenRefuses('revocation-resolution-required');
    resolution.given(adoptedAndDecided).when(revoke(revoker({ decidedOn: '2025-10-02' }))).thenRefuses('revocation-resolution-required');
  });

  it('summarizes a resolution for others to cite', () => {
    expect(summarize(fold(resolutionDecider, []))).toBeUndefined();
    expect(summarize(fold(resolutionDecider, [proposedAtMeeting]))).toEqual({ resolutionId: RES, kind: 'general', outcome: null });
    expect(summarize(fold(resolutionDecider, rejectedAndDecided))).toEqual({ resolutionId: RES, kind: 'general', outcome: 'rejected', decidedOn: '2025-09-12' });
  });
});

describe('command schemas', () => {
  it('accept the API bodies plus the new ids and refuse unknown or mixed fields', () => {
    expect(proposeResolutionData.safeParse(propose({ meetingId: MEETING, agendaItemId: ITEM }).data).success).toBe(true);
    expect(proposeResolutionData.safeParse({ ...propose({}).data, writtenProcedure: { deadline: '2025-09-20', x: 1 } }).success).toBe(false);
    expect(proposeResolutionData.safeParse({ ...propose({}).data, recordedAt: '2025-09-01T00:00:00Z' }).success).toBe(false);
    expect(recordVotesData.safeParse({ votes: votes({ [M3]: 'yes' }), occurredAt: AT }).success).toBe(true);
    expect(recordVotesData.safeParse({ tally: { yes: 1, no: 0, abstain: 0, chairVote: 'yes' }, recusals: [M4], occurredAt: AT }).success).toBe(true);
    expect(recordVotesData.safeParse({ votes: votes({ [M3]: 'yes' }), tally: { yes: 1, no: 0, abstain: 0 }, occurredAt: AT }).success).toBe(true); // refused by the decider: 409 votes-and-tally-mixed
    expect(recordVotesData.safeParse({ occurredAt: AT }).success).toBe(false);
    expect(recordVotesData.safeParse({ votes: [{ memberId: M3, vote: 'maybe' }], occurredAt: AT }).success).toBe(false);
  });
});
