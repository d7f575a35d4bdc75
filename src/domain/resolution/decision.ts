import {
  membersInOffice,
  rulesInForce,
  votingMembersInOffice,
  type BoardMember,
  type BoardState,
  type EstablishedBoard,
  type RulesVersion,
} from '../board/state';
import { itemQuorum } from '../meeting/quorum';
import { presentInPerson, type Meeting, type MeetingState } from '../meeting/state';
import type { IsoDate } from '../shared/dates';
import { DomainRuleViolated, NotFound } from '../shared/errors';
import { majority, type PresidingMember } from '../rules/majority';
import type { DecideContext } from './commands';
import type { DecisionBasis, Tally, VoteValue } from './events';
import type { ProposedResolution, Resolution } from './state';

/** The facts the decision needs from other streams: the board, the meeting, and the meeting that one reconvenes. */
export type DecisionContext = DecideContext;

export interface Outcome {
  outcome: 'adopted' | 'rejected';
  basis: DecisionBasis;
}

/**
 * The outcome of a proposed resolution under the rules in force on the decision day, with the basis an auditor
 * needs to recompute it. Throws when no decision can be taken yet (or at all): `quorum`, `written-procedure-open`,
 * `written-procedure-objected`.
 */
export function computeOutcome(resolution: ProposedResolution, decidedOn: IsoDate, context: DecisionContext): Outcome {
  const board = requireBoard(context.board);
  const inForce = rulesInForce(board, decidedOn);
  return resolution.writtenProcedure
    ? writtenOutcome(resolution, resolution.writtenProcedure.deadline, decidedOn, board, inForce)
    : meetingOutcome(resolution, decidedOn, context, board, inForce);
}

function meetingOutcome(
  resolution: ProposedResolution,
  decidedOn: IsoDate,
  context: DecisionContext,
  board: EstablishedBoard,
  inForce: RulesVersion,
): Outcome {
  const meeting = requireMeetingOf(resolution, context.meeting);
  if (meeting.status === 'cancelled') throw new DomainRuleViolated('meeting-cancelled', `meeting ${meeting.meetingId} was cancelled`);
  if (decidedOn < meeting.date) throw new DomainRuleViolated('decision-before-meeting', `the meeting is held on ${meeting.date}`);
  const quorum = itemQuorum({
    meeting,
    agendaItemId: resolution.agendaItemId ?? '(none)',
    board,
    rules: inForce.rules,
    recused: resolution.recusals,
    reconvened: context.reconvened,
  });
  if (!quorum.quorumMet) {
    throw new DomainRuleViolated(
      'quorum',
      `meeting ${meeting.meetingId} is not quorate for this item: ${quorum.presentMemberIds.length} of ${quorum.votingMemberIds.length} voting members present` +
        (quorum.dulyInvited ? '' : ', and it was not duly invited'),
    );
  }
  const eligible = quorum.presentMemberIds;
  let tally: Tally;
  let presidingVote: VoteValue | undefined;
  const presiding = presidingAtMeeting(board, meeting, resolution.recusals);
  if (resolution.voting === 'tally' && resolution.tally) {
    tally = resolution.tally.tally;
    if (tally.yes + tally.no + tally.abstain > eligible.length) {
      throw new DomainRuleViolated('tally-exceeds-present', `the tally counts more votes than the ${eligible.length} voting members present`);
    }
    presidingVote = resolution.tally.chairVote;
  } else {
    // attendance may have been corrected since the votes were recorded: only those entitled to vote now count
    tally = countVotes(resolution, eligible);
    presidingVote = presiding ? resolution.votes[presiding.memberId] : undefined;
  }
  const result = majority(tally, presiding && presidingMember(presiding, presidingVote), inForce.rules);
  return {
    outcome: result.outcome,
    basis: basis({
      procedure: 'meeting',
      quorumMet: true,
      tally,
      inForce,
      votingMemberIds: quorum.votingMemberIds,
      presentMemberIds: quorum.presentMemberIds,
      recusedMemberIds: quorum.recusedMemberIds,
      presidingMemberId: presiding?.memberId,
      tieBrokenBy: result.tieBrokenBy,
    }),
  };
}

/**
 * In writing there is no attendance: every voting member must answer. Before the deadline a decision can be taken
 * once all have; after it, a missing answer means the motion fails. Membership is taken on the decision day, or on
 * the deadline when deciding later, because no answer counts after it.
 */
function writtenOutcome(
  resolution: ProposedResolution,
  deadline: IsoDate,
  decidedOn: IsoDate,
  board: EstablishedBoard,
  inForce: RulesVersion,
): Outcome {
  const objection = resolution.objections[0];
  if (objection) {
    throw new DomainRuleViolated('written-procedure-objected', `member ${objection.memberId} objected; the matter goes to a meeting`);
  }
  const deadlinePassed = decidedOn > deadline;
  const day = deadlinePassed ? deadline : decidedOn;
  const votingMemberIds = votingMembersInOffice(board, day).map((m) => m.memberId);
  const recusedMemberIds = votingMemberIds.filter((m) => resolution.recusals.includes(m));
  const answered = votingMemberIds.filter((m) => !recusedMemberIds.includes(m) && resolution.votes[m] !== undefined);
  const everyoneAnswered = answered.length + recusedMemberIds.length === votingMemberIds.length;
  if (!everyoneAnswered && !deadlinePassed) {
    throw new DomainRuleViolated(
      'written-procedure-open',
      `${answered.length + recusedMemberIds.length} of ${votingMemberIds.length} voting members have answered; the deadline is ${deadline}`,
    );
  }
  const tally = countVotes(resolution, answered);
  const chair = membersInOffice(board, day).find((m) => m.role === 'chair');
  const result = everyoneAnswered
    ? majority(tally, chair && presidingMember(chair, resolution.votes[chair.memberId]), inForce.rules)
    : { outcome: 'rejected' as const };
  return {
    outcome: result.outcome,
    basis: basis({
      procedure: 'written',
      quorumMet: everyoneAnswered,
      tally,
      inForce,
      votingMemberIds,
      presentMemberIds: answered,
      recusedMemberIds,
      presidingMemberId: chair?.memberId,
      tieBrokenBy: result.tieBrokenBy,
    }),
  };
}

/** The chair presides when present in person, else the deputy chair; a recused member cannot preside over the item. */
function presidingAtMeeting(board: EstablishedBoard, meeting: Meeting, recusals: readonly string[]): BoardMember | undefined {
  const inPerson = presentInPerson(meeting);
  const candidates = membersInOffice(board, meeting.date).filter((m) => inPerson.includes(m.memberId) && !recusals.includes(m.memberId));
  return candidates.find((m) => m.role === 'chair') ?? candidates.find((m) => m.role === 'deputy-chair');
}

function presidingMember(member: BoardMember, vote: VoteValue | undefined): PresidingMember {
  return vote === undefined
    ? { memberId: member.memberId, votingRight: member.votingRight }
    : { memberId: member.memberId, votingRight: member.votingRight, vote };
}

function countVotes(resolution: Resolution, eligible: readonly string[]): Tally {
  const tally: Tally = { yes: 0, no: 0, abstain: 0 };
  for (const memberId of eligible) {
    const vote = resolution.votes[memberId];
    if (vote) tally[vote] += 1;
  }
  return tally;
}

function basis(parts: {
  procedure: 'meeting' | 'written';
  quorumMet: boolean;
  tally: Tally;
  inForce: RulesVersion;
  votingMemberIds: string[];
  presentMemberIds: string[];
  recusedMemberIds: string[];
  presidingMemberId: string | undefined;
  tieBrokenBy: string | undefined;
}): DecisionBasis {
  return {
    procedure: parts.procedure,
    votingMembers: parts.votingMemberIds.length,
    present: parts.presentMemberIds.length,
    recused: parts.recusedMemberIds.length,
    quorumMet: parts.quorumMet,
    tally: parts.tally,
    ...(parts.tieBrokenBy === undefined ? {} : { tieBrokenBy: parts.tieBrokenBy }),
    ...(parts.presidingMemberId === undefined ? {} : { presidingMemberId: parts.presidingMemberId }),
    rulesVersion: parts.inForce.version,
    rules: parts.inForce.rules,
    votingMemberIds: parts.votingMemberIds,
    presentMemberIds: parts.presentMemberIds,
    recusedMemberIds: parts.recusedMemberIds,
  };
}

export function requireBoard(board: BoardState): EstablishedBoard {
  if (board.status !== 'established') throw new NotFound('board', 'main');
  return board;
}

/** The resolution's own meeting, as the handler loaded it. */
export function requireMeetingOf(resolution: Resolution, meeting: MeetingState | undefined): Meeting {
  const meetingId = resolution.meetingId ?? '(none)';
  if (!meeting || meeting.status === 'none' || meeting.meetingId !== resolution.meetingId) throw new NotFound('meeting', meetingId);
  return meeting;
}
